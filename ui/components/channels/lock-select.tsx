import { request } from '../../api/client.js';
import { t } from '../../i18n/index.js';

/** Where a new PIN may be entered: anywhere, or only on one channel (enforced by the company-pin plugin). */
export type PinLock = '' | 'pin-page' | 'web-form' | 'agent';

/** Opens a support session whose PIN is locked to a channel (or not, for ''). */
export function createLockedSession(lock: PinLock) {
  return request<{ id: string; pin: string; expiresAt: number }>('POST', '/api/v1/sessions', lock ? { pinChannel: lock } : {});
}

/** The choice of the new PIN's channel, beside the console's "new session" button. */
export function LockSelect({ value, onChange }: { value: PinLock; onChange: (lock: PinLock) => void }) {
  return (
    <div class="field">
      <label for="pin-lock">{t('channels.lock.label')}</label>
      <select id="pin-lock" data-testid="pin-lock" value={value} onChange={(e) => onChange(e.currentTarget.value as PinLock)}>
        <option value="">{t('channels.lock.any')}</option>
        <option value="pin-page">{t('channels.lock.pinPage')}</option>
        <option value="web-form">{t('channels.lock.webForm')}</option>
        <option value="agent">{t('channels.lock.agent')}</option>
      </select>
    </div>
  );
}
