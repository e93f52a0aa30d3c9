import { ApiError } from '../../api/client.js';
import { ErrorText } from '../error-text.js';
import { hasText, t } from '../../i18n/index.js';

/** Shows an MFA route's error by its stable reason (mfa_invalid…) when known, else like any API error. */
export function MfaError({ error }: { error: unknown }) {
  const reason = error instanceof ApiError && typeof error.body.reason === 'string' ? error.body.reason : '';
  if (reason && hasText(`mfa.error.${reason}`)) return <p class="error" role="alert">{t(`mfa.error.${reason}`)}</p>;
  return <ErrorText error={error} />;
}
