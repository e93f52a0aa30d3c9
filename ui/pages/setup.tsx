import { useState } from 'preact/hooks';
import { ApiError, authApi, type Me } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Link } from '../components/link.js';
import { Page } from '../components/page.js';
import { t } from '../i18n/index.js';

/** First run: creates the first account admin with the one-time token from the server log. */
export function SetupPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const status = useLoad(() => authApi.setupNeeded());
  const [form, setForm] = useState({ email: '', displayName: '', password: '' });
  const action = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await action.run(async () => {
      try {
        onLogin(await authApi.setup({ token, ...form }));
      } catch (e) {
        // The only 403 here is a wrong or used token; say so rather than "you may not do this".
        throw e instanceof ApiError && e.code === 'forbidden' ? new Error(t('setup.invalidToken')) : e;
      }
    });
  }

  if (status.data?.needed === false) {
    return (
      <Page title={t('setup.title')} narrow>
        <p class="card">{t('setup.notNeeded')} <Link href="/login">{t('login.title')}</Link></p>
      </Page>
    );
  }
  return (
    <Page title={t('setup.title')} narrow>
      <p>{t('setup.intro')}</p>
      {!token && <p class="error" role="alert">{t('setup.noToken')}</p>}
      <ErrorText error={status.error} />
      <form onSubmit={submit} class="card">
        <Field id="setup-email" label={t('setup.email')}>
          <input id="setup-email" type="email" autocomplete="username" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        </Field>
        <Field id="setup-name" label={t('setup.name')}>
          <input id="setup-name" autocomplete="name" value={form.displayName} onInput={(e) => setForm({ ...form, displayName: e.currentTarget.value })} />
        </Field>
        <Field id="setup-password" label={t('login.password')} hint={t('password.hint')}>
          <input id="setup-password" aria-describedby="setup-password-hint" type="password" autocomplete="new-password" required value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
        </Field>
        <ErrorText error={action.error} />
        <button type="submit" disabled={action.busy || !token}>{t('setup.submit')}</button>
      </form>
    </Page>
  );
}
