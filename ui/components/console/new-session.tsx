import { formatRemaining, formatTime, useNow } from '../../console/format.js';
import { t } from '../../i18n/index.js';

/** A session just created: its PIN for the customer. */
export interface CreatedSession {
  id: string;
  pin: string;
  expiresAt: number;
}

/**
 * The new session's PIN, big and readable, with how long it stays valid and what the customer
 * does with it. Digits are grouped by CSS only, so the text is the PIN exactly as typed.
 */
export function NewSessionPin({ created, onJoin }: { created: CreatedSession; onJoin: () => void }) {
  const now = useNow();
  const expired = now >= created.expiresAt;
  return (
    <div class={`new-session-pin${expired ? ' expired' : ''}`} data-session-id={created.id}>
      <p class="hint" id="new-pin-label">{t('console.home.pinLabel')}</p>
      <p class="pin-display" data-testid="session-pin" aria-labelledby="new-pin-label">
        {created.pin.split('').map((digit, i) => <span key={i}>{digit}</span>)}
      </p>
      <p class={expired ? 'error' : 'pin-expiry'} role="timer" data-testid="session-pin-expiry" aria-live="off">
        {expired
          ? t('console.home.pinExpired')
          : t('console.home.pinValid', { remaining: formatRemaining(created.expiresAt, now), time: formatTime(created.expiresAt) })}
      </p>
      <p class="hint">{t('console.home.pinTell', { url: `${location.origin}/pin` })}</p>
      <button type="button" data-testid="join-new-session" onClick={onJoin} disabled={expired}>{t('console.home.openSession')}</button>
    </div>
  );
}
