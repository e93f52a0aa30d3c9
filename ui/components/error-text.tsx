import { ApiError } from '../api/client.js';
import { hasText, t } from '../i18n/index.js';

/** The reason of a policy denial: translated by its stable code when known, else the plugin's own text. */
function policyReason(error: ApiError): string {
  const code = typeof error.body.code === 'string' ? error.body.code : '';
  if (code && hasText(`policy.${code}`)) return t(`policy.${code}`);
  return String(error.body.reason ?? error.message);
}

/** "840 seconds" reads better as "14 minutes". */
function waitText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) return t('time.seconds', { n: 1 });
  return seconds < 120 ? t('time.seconds', { n: Math.ceil(seconds) }) : t('time.minutes', { n: Math.ceil(seconds / 60) });
}

/** A translated sentence for an API error (or any error). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'locked':
      case 'rate_limited':
        return t(`error.${error.code}`, { wait: waitText(Number(error.body.retryAfterSeconds)) });
      case 'policy_denied':
        return t('error.policy_denied', { reason: policyReason(error) });
      case 'weak_password': {
        const reason = String(error.body.reason ?? '');
        return t('error.weak_password', { message: hasText(`weak.${reason}`) ? t(`weak.${reason}`) : error.message });
      }
      case 'conflict':
      case 'invalid_request':
      case 'not_found':
        return t(`error.${error.code}`, { message: error.message });
      default:
        if (hasText(`error.${error.code}`)) return t(`error.${error.code}`);
        return t('error.generic', { message: error.message });
    }
  }
  // fetch() fails with a TypeError when the appliance cannot be reached; other plain errors
  // carry a sentence the UI already translated (a form's own check).
  if (error instanceof TypeError) return t('error.network');
  return error instanceof Error ? error.message : t('error.generic', { message: String(error) });
}

/** Shows an error (or nothing) in an alert region that screen readers announce. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return <p class="error" role="alert">{errorMessage(error)}</p>;
}
