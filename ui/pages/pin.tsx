import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { pinPageJoinCode, takeJoinFromFragment } from '../components/channels/api.js';
import { ChannelStart } from '../components/channels/channel-start.js';
import { HelpChoice } from '../components/pin/help-choice.js';
import { useBranding } from '../console/branding.js';
import { getLanguage, setLanguage, t, useLanguage, type Language } from '../i18n/index.js';
import { navigate } from '../router.js';

/** The answer to a refused PIN: the server's neutral words, or when to try again. */
function pinError(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    const seconds = Number(error.body.retryAfterSeconds);
    return Number.isFinite(seconds) && seconds > 0 ? t('pin.error.rateLimited', { seconds }) : t('pin.error.rateLimitedLater');
  }
  if (error instanceof ApiError && error.status === 400) return error.message || t('pin.error.invalid');
  if (error instanceof ApiError && error.code === 'policy_denied') return t('pin.error.policy', { reason: error.message });
  return t('pin.error.network');
}

function LanguageChoice() {
  const current = getLanguage();
  const options: { lang: Language; label: string }[] = [{ lang: 'de', label: 'Deutsch' }, { lang: 'en', label: 'English' }];
  return (
    <div class="pin-lang" role="group" aria-label={t('pin.language')}>
      {options.map(({ lang, label }) => (
        <button key={lang} type="button" lang={lang} class={current === lang ? 'active' : ''} aria-pressed={current === lang}
          data-testid={`pin-lang-${lang}`} onClick={() => setLanguage(lang)}>{label}</button>
      ))}
    </div>
  );
}

/** The PIN form; on a valid PIN it hands over the join code. */
function PinForm({ onJoined }: { onJoined: (result: { joinCode: string; expiresAt: number; pin: string }) => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const clean = pin.replace(/[\s-]/g, '');
    if (!clean) return;
    setBusy(true);
    setError(null);
    try {
      const { joinCode, expiresAt } = await pinPageJoinCode(clean);
      onJoined({ joinCode, expiresAt, pin: clean });
    } catch (e) {
      setError(pinError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="pin-card pin-form" onSubmit={submit} aria-describedby={error ? 'pin-error' : undefined}>
      <label for="pin-input">{t('pin.label')}</label>
      <input id="pin-input" name="pin" inputMode="numeric" autocomplete="one-time-code" maxLength={32} required
        aria-invalid={error ? true : undefined} aria-describedby={error ? 'pin-error' : 'pin-format'}
        value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
      <p class="hint" id="pin-format">{t('pin.format')}</p>
      {error && <p class="error" id="pin-error" role="alert" data-testid="pin-error">{error}</p>}
      <button type="submit" data-testid="pin-submit" disabled={busy}>{busy ? t('pin.checking') : t('pin.submit')}</button>
    </form>
  );
}

/** `/` and `/pin`: the customer's branded page — enter the PIN, then get help in this browser or with the downloaded agent. */
export function PinPage() {
  const language = useLanguage();
  const root = useRef<HTMLElement>(null);
  const { branding } = useBranding(root);
  // A hosted form hands its join over in the fragment; a channel link names its token in ?channel=.
  const [joined, setJoined] = useState<{ joinCode: string; expiresAt: number; pin: string } | null>(() => takeJoinFromFragment());
  const channel = new URLSearchParams(location.search).get('channel');
  const company = branding.companyName || t('pin.defaultCompany');
  const texts = branding.texts[language];

  useEffect(() => {
    document.title = `${company} – ${t('pin.title')}`;
  }, [company, language]);

  const toLogin = (event: MouseEvent) => {
    event.preventDefault();
    navigate('/login');
  };

  return (
    <main class="pin-page" id="main" ref={root}>
      <header class="pin-header">
        {branding.hasLogo && <img class="pin-logo" src="/api/v1/branding/logo" alt={t('pin.logoAlt', { company })} />}
        <span class="pin-company" data-testid="company-name">{company}</span>
        <LanguageChoice />
      </header>
      <div class="pin-body">
        <h1>{t('pin.title')}</h1>
        <p class="pin-welcome" data-testid="pin-welcome">{texts.welcome || t('pin.welcome')}</p>
        {joined
          ? <HelpChoice joined={joined} />
          : channel ? <ChannelStart token={channel} onJoined={setJoined} /> : <PinForm onJoined={setJoined} />}
        <p class="pin-help" data-testid="pin-help">{texts.help || t('pin.help')}</p>
      </div>
      <footer class="pin-footer">
        <a href="/login" onClick={toLogin} data-testid="staff-login">{t('pin.staffLogin')}</a>
      </footer>
    </main>
  );
}
