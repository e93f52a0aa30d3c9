import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, authApi, request, type Me } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { SsoButtons, ssoErrorText } from '../components/sso/sso-buttons.js';
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

/** Continues a single sign-on login that the login chain challenged (the provider already vouched for the person). */
const continueSso = (code?: string) => request<Me>('POST', '/api/v1/plugins/oidc/continue', code ? { code } : {}, { quiet401: true });

/**
 * The login form, with a button per single sign-on provider. When the server answers with a
 * challenge it asks for the one-time code and, when the account must first set up an
 * authenticator app, shows the QR code and key; the next submit sends the same e-mail and
 * password with the code. After a provider's login that needs a code (`?sso=continue`), only
 * the code is asked for.
 */
export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const params = new URLSearchParams(location.search);
  const ssoPending = params.get('sso') === 'continue';
  const ssoError = ssoErrorText(params);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const action = useAction();

  useEffect(() => {
    if (challenge) codeInput.current?.focus();
  }, [challenge]);

  useEffect(() => {
    // Ask what the pending single sign-on login needs (a code, or enrolling an authenticator first).
    if (ssoPending) void action.run(() => attempt(() => continueSso(), null));
  }, []);

  /** Runs a login call; a challenge is not an error but the next step (a shown QR code stays across a wrong code). */
  async function attempt(call: () => Promise<Me>, sentCode: string | null) {
    try {
      onLogin(await call());
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'challenge') throw e;
      const next = challengeOf(e);
      setChallenge((was) => ({ ...next, enrolment: next.enrolment ?? (next.code === was?.code ? was.enrolment : null) }));
      if (sentCode) throw e;
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    const sent = challenge && code.trim() ? code.replace(/\s/g, '') : null;
    if (ssoPending) return action.run(() => attempt(() => continueSso(sent ?? undefined), sent));
    await action.run(() => attempt(() => authApi.login({ email, password, ...(sent && { code: sent }) }), sent));
  }

  const enrolling = challenge?.code === 'mfa_enrolment_required';
  return (
    <Page title={t('login.title')} narrow>
      <form onSubmit={submit} class="card">
        {ssoError && <p class="error" role="alert" data-testid="sso-error">{ssoError}</p>}
        {ssoPending && <p data-testid="sso-continue">{t('sso.continue')}</p>}
        {!ssoPending && (<>
          <Field id="login-email" label={t('login.email')}>
            <input id="login-email" name="email" type="text" autocapitalize="none" spellcheck={false} autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </Field>
          <Field id="login-password" label={t('login.password')}>
            <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
        </>)}
        {enrolling && <p data-testid="mfa-enrolment-required">{t('mfa.login.enrolmentRequired')}</p>}
        {challenge?.enrolment && <EnrolmentQr offer={challenge.enrolment} />}
        {challenge && (
          <CodeInput id="login-code" label={t('login.code')} hint={t(enrolling ? 'mfa.login.firstCode' : 'mfa.login.codeOrRecovery')} value={code} onInput={setCode} inputRef={codeInput} />
        )}
        <ErrorText error={action.error} />
        <button type="submit" data-testid="login-submit" disabled={action.busy}>{t('login.submit')}</button>
        {!ssoPending && <SsoButtons />}
      </form>
    </Page>
  );
}
