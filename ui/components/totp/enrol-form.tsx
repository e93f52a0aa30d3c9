import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { t } from '../../i18n/index.js';
import { mfaApi, type MfaOffer } from './api.js';
import { CodeInput } from './code-input.js';
import { EnrolmentQr } from './enrolment-qr.js';
import { MfaError } from './mfa-error.js';

/** Setting up an authenticator app: start (QR code and key), then confirm with the first code. */
export function EnrolForm({ required, onEnrolled }: { required: boolean; onEnrolled: (recoveryCodes: string[]) => void }) {
  const [offer, setOffer] = useState<MfaOffer | null>(null);
  const [code, setCode] = useState('');
  const action = useAction();

  const start = () => void action.run(async () => {
    setOffer(await mfaApi.start());
    setCode('');
  });

  async function confirm(event: Event) {
    event.preventDefault();
    await action.run(async () => {
      const { recoveryCodes } = await mfaApi.confirm(code.replace(/\s/g, ''));
      setOffer(null);
      onEnrolled(recoveryCodes);
    });
  }

  if (!offer) {
    return (
      <div>
        <p>{t(required ? 'mfa.status.requiredOff' : 'mfa.status.off')}</p>
        <MfaError error={action.error} />
        <button type="button" data-testid="mfa-start" disabled={action.busy} onClick={start}>{t('mfa.enrol.start')}</button>
      </div>
    );
  }
  return (
    <form onSubmit={confirm}>
      <EnrolmentQr offer={offer} />
      <CodeInput id="mfa-confirm-code" label={t('mfa.code')} hint={t('mfa.enrol.confirmHint')} value={code} onInput={setCode} />
      <MfaError error={action.error} />
      <div class="row">
        <button type="submit" data-testid="mfa-confirm" disabled={action.busy}>{t('mfa.enrol.confirm')}</button>
        <button type="button" class="secondary" disabled={action.busy} onClick={() => setOffer(null)}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
