import { ApiError } from '../api/client.js';
import { t } from '../i18n/index.js';

/** A translated sentence for an API error (or any error). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const seconds = String(error.body.retryAfterSeconds ?? '');
    const reason = String(error.body.reason ?? error.message);
    const known: Record<string, string> = {
      invalid_credentials: t('error.invalid_credentials'),
      locked: t('error.locked', { seconds }),
      rate_limited: t('error.rate_limited', { seconds }),
      policy_denied: t('error.policy_denied', { reason }),
      weak_password: t('error.weak_password', { message: error.message }),
      conflict: t('error.conflict', { message: error.message }),
      forbidden: t('error.forbidden'),
      csrf_failed: t('error.csrf_failed'),
    };
    return known[error.code] ?? t('error.generic', { message: error.message });
  }
  return t('error.generic', { message: (error as Error)?.message ?? String(error) });
}

/** Shows an error (or nothing) in an alert region that screen readers announce. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return <p class="error" role="alert">{errorMessage(error)}</p>;
}
