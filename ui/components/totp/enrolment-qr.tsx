import type { MfaOffer } from './api.js';
import { t } from '../../i18n/index.js';

/** The QR code of a pending enrolment, with its key to type in by hand for apps (or people) that cannot scan. */
export function EnrolmentQr({ offer }: { offer: Pick<MfaOffer, 'qr' | 'secret'> }) {
  // Groups of four, as authenticator apps show keys; spaces are ignored when typed in.
  const grouped = offer.secret.replace(/(.{4})(?=.)/g, '$1 ');
  return (
    <div class="secret" data-testid="mfa-enrolment">
      <p>{t('mfa.enrol.scan')}</p>
      <img src={offer.qr} width={220} height={220} alt={t('mfa.enrol.qrAlt')} data-testid="mfa-qr" />
      <p>{t('mfa.enrol.manual')}</p>
      <code class="secret-value" data-testid="mfa-secret" data-secret={offer.secret}>{grouped}</code>
    </div>
  );
}
