import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { useLoad } from '../../api/hooks.js';
import { t } from '../../i18n/index.js';
import { mfaApi } from './api.js';
import { EnrolForm } from './enrol-form.js';
import { ManageMfa } from './manage-mfa.js';
import { MfaError } from './mfa-error.js';
import { RecoveryCodes } from './recovery-codes.js';

/**
 * The profile's two-factor section: set up an authenticator app, see and renew recovery codes,
 * turn MFA off. Shows nothing while the TOTP plugin is switched off (its API answers 404).
 */
export function MfaSection() {
  const status = useLoad(() => mfaApi.status());
  const [codes, setCodes] = useState<string[] | null>(null);
  if (status.error instanceof ApiError && status.error.status === 404) return null;
  const shown = (fresh: string[]) => {
    setCodes(fresh);
    void status.reload();
  };
  return (
    <section class="card" aria-labelledby="mfa-title" data-testid="mfa-section">
      <h2 id="mfa-title">{t('mfa.title')}</h2>
      <p class="hint">{t('mfa.intro')}</p>
      {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
      <MfaError error={status.error} />
      {status.data && (status.data.enrolled
        ? <ManageMfa status={status.data} onRenewed={shown} onDisabled={() => void status.reload()} />
        : <EnrolForm required={status.data.required} onEnrolled={shown} />)}
    </section>
  );
}
