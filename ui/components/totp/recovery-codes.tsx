import { t } from '../../i18n/index.js';

/** New recovery codes, shown once: the user writes them down or prints them. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div class="secret" role="status">
      <p><strong>{t('mfa.recovery.title')}</strong> {t('mfa.recovery.onlyNow')}</p>
      <ul data-testid="mfa-recovery-codes">
        {codes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ul>
      <button type="button" class="secondary small" data-testid="mfa-recovery-done" onClick={onDone}>{t('mfa.recovery.done')}</button>
    </div>
  );
}
