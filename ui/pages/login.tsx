import { useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, type Me } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { t } from '../i18n/index.js';

/** The login form; asks for a one-time code when the server challenges. */
export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('POST', '/api/v1/auth/login', { email, password, ...(needCode && { code }) }, { quiet401: true });
      setCsrfToken(me.csrfToken);
      onLogin(me);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'challenge') setNeedCode(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="narrow">
      <h1>{t('login.title')}</h1>
      <form onSubmit={submit} class="card">
        <Field id="login-email" label={t('login.email')}>
          <input id="login-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field id="login-password" label={t('login.password')}>
          <input id="login-password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        {needCode && (
          <Field id="login-code" label={t('login.code')}>
            <p class="hint">{t('login.codeNeeded')}</p>
            <input id="login-code" inputMode="numeric" autocomplete="one-time-code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </Field>
        )}
        <ErrorText error={error} />
        <button type="submit" data-testid="login-submit" disabled={busy}>{t('login.submit')}</button>
      </form>
    </main>
  );
}
