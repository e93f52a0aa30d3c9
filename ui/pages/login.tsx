import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, authApi, type Me } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { t } from '../i18n/index.js';

/** The login form; asks for a one-time code when the server answers with a challenge. */
export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const action = useAction();

  useEffect(() => {
    if (needCode) codeInput.current?.focus();
  }, [needCode]);

  async function submit(event: Event) {
    event.preventDefault();
    await action.run(async () => {
      try {
        onLogin(await authApi.login({ email, password, ...(needCode && { code }) }));
      } catch (e) {
        // The first challenge just asks for the code; a second one means the code was wrong.
        if (e instanceof ApiError && e.code === 'challenge' && !needCode) setNeedCode(true);
        else throw e;
      }
    });
  }

  return (
    <Page title={t('login.title')} narrow>
      <form onSubmit={submit} class="card">
        <Field id="login-email" label={t('login.email')}>
          <input id="login-email" name="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field id="login-password" label={t('login.password')}>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        {needCode && (
          <Field id="login-code" label={t('login.code')} hint={t('login.codeNeeded')}>
            <input id="login-code" aria-describedby="login-code-hint" ref={codeInput} name="code" inputMode="numeric" autocomplete="one-time-code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </Field>
        )}
        <ErrorText error={action.error} />
        <button type="submit" data-testid="login-submit" disabled={action.busy}>{t('login.submit')}</button>
      </form>
    </Page>
  );
}
