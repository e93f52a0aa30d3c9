import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, authApi, type Me } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { CodeInput } from '../components/totp/code-input.js';
import { EnrolmentQr } from '../components/totp/enrolment-qr.js';
import { t } from '../i18n/index.js';

/** What the server asked for after the password: a code, or setting up an authenticator first (with its QR code). */
interface Challenge {
  code: string;
  enrolment: { qr: string; secret: string } | null;
}

/** The challenge carried by a 401 `challenge` answer. */
function challengeOf(error: ApiError): Challenge {
  const data = (error.body.data ?? {}) as Record<string, unknown>;
  const enrolment = typeof data.qr === 'string' && typeof data.secret === 'string' ? { qr: data.qr, secret: data.secret } : null;
  return { code: String(error.body.code ?? ''), enrolment };
}

/**
 * The login form. When the server answers with a challenge it asks for the one-time code and,
 * when the account must first set up an authenticator app, shows the QR code and key; the next
 * submit sends the same e-mail and password with the code.
 */
export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const action = useAction();

  useEffect(() => {
    if (challenge) codeInput.current?.focus();
  }, [challenge]);

  async function submit(event: Event) {
    event.preventDefault();
    await action.run(async () => {
      try {
        onLogin(await authApi.login({ email, password, ...(challenge && code.trim() && { code: code.replace(/\s/g, '') }) }));
      } catch (e) {
        // A challenge is not an error: it asks for the next step. Keep a shown QR code across a wrong code.
        if (!(e instanceof ApiError) || e.code !== 'challenge') throw e;
        const next = challengeOf(e);
        const wasAsking = challenge !== null;
        setChallenge({ ...next, enrolment: next.enrolment ?? (next.code === challenge?.code ? challenge.enrolment : null) });
        if (wasAsking && code.trim()) throw e;
      }
    });
  }

  const enrolling = challenge?.code === 'mfa_enrolment_required';
  return (
    <Page title={t('login.title')} narrow>
      <form onSubmit={submit} class="card">
        <Field id="login-email" label={t('login.email')}>
          <input id="login-email" name="email" type="text" autocapitalize="none" spellcheck={false} autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field id="login-password" label={t('login.password')}>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        {enrolling && <p data-testid="mfa-enrolment-required">{t('mfa.login.enrolmentRequired')}</p>}
        {challenge?.enrolment && <EnrolmentQr offer={challenge.enrolment} />}
        {challenge && (
          <CodeInput id="login-code" label={t('login.code')} hint={t(enrolling ? 'mfa.login.firstCode' : 'mfa.login.codeOrRecovery')} value={code} onInput={setCode} inputRef={codeInput} />
        )}
        <ErrorText error={action.error} />
        <button type="submit" data-testid="login-submit" disabled={action.busy}>{t('login.submit')}</button>
      </form>
    </Page>
  );
}
