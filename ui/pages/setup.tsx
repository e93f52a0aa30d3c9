import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, type Me } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { t } from '../i18n/index.js';

/** First run: creates the first account admin with the one-time token from the server log. */
export function SetupPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const [needed, setNeeded] = useState<boolean | null>(null);
  const [form, setForm] = useState({ email: '', displayName: '', password: '' });
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    void api<{ needed: boolean }>('GET', '/api/v1/setup').then((r) => setNeeded(r.needed), setError);
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    try {
      const me = await api<Me>('POST', '/api/v1/setup', { token, ...form });
      setCsrfToken(me.csrfToken);
      onLogin(me);
    } catch (e) {
      setError(e);
    }
  }

  if (needed === false) return <main class="narrow"><p>{t('setup.notNeeded')}</p></main>;
  return (
    <main class="narrow">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit} class="card">
        <Field id="setup-email" label={t('login.email')}>
          <input id="setup-email" type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        </Field>
        <Field id="setup-name" label={t('setup.name')}>
          <input id="setup-name" value={form.displayName} onInput={(e) => setForm({ ...form, displayName: e.currentTarget.value })} />
        </Field>
        <Field id="setup-password" label={t('login.password')}>
          <input id="setup-password" type="password" autocomplete="new-password" required value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
        </Field>
        <ErrorText error={error} />
        <button type="submit">{t('setup.submit')}</button>
      </form>
    </main>
  );
}
