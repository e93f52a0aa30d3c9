import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';

/**
 * Asks for the session's PIN when this browser tab does not have it (the session was created
 * in another tab or browser). The PIN is the password of the end-to-end handshake; it stays in
 * this tab.
 */
export function PinEntry({ onPin }: { onPin: (pin: string) => void }) {
  const [pin, setPin] = useState('');
  function submit(event: Event) {
    event.preventDefault();
    const clean = pin.replace(/[\s-]/g, '');
    if (clean) onPin(clean);
  }
  return (
    <form class="card console-narrow-card" onSubmit={submit}>
      <h2>{t('console.pinEntry.title')}</h2>
      <p class="hint" id="session-pin-hint">{t('console.pinEntry.hint')}</p>
      <div class="field">
        <label for="session-pin-input">{t('console.pinEntry.label')}</label>
        <input id="session-pin-input" inputMode="numeric" autocomplete="off" aria-describedby="session-pin-hint" required
          value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
      </div>
      <button type="submit">{t('console.pinEntry.submit')}</button>
    </form>
  );
}
