import { useState } from 'preact/hooks';
import { ApiError, type User } from '../../api/client.js';
import { useAction } from '../../api/hooks.js';
import { t } from '../../i18n/index.js';
import { ConfirmButton } from '../confirm-button.js';
import { ErrorText } from '../error-text.js';
import { mfaApi } from './api.js';

/**
 * An admin removes an account's authenticator when its owner lost the phone and the recovery
 * codes; the account enrols again at its next login when policy requires MFA.
 */
export function MfaAdminReset({ user }: { user: User }) {
  const action = useAction();
  const [result, setResult] = useState<'done' | 'none' | null>(null);

  const reset = () => action.run(async () => {
    setResult(null);
    try {
      await mfaApi.adminReset(user.id);
      setResult('done');
    } catch (error) {
      // 404: the account has no authenticator, or the TOTP plugin is off; either way nothing to remove.
      if (error instanceof ApiError && error.status === 404) setResult('none');
      else throw error;
    }
  });

  return (
    <section class="subform" aria-labelledby="user-mfa-title">
      <h3 id="user-mfa-title">{t('mfa.admin.title')}</h3>
      <p class="hint">{t('mfa.admin.hint')}</p>
      <ConfirmButton label={t('mfa.admin.reset')} question={t('mfa.admin.question', { email: user.email })} testId="mfa-admin-reset" disabled={action.busy} onConfirm={() => void reset()} />
      <ErrorText error={action.error} />
      {result === 'done' && <p class="ok" role="status">{t('mfa.admin.done')}</p>}
      {result === 'none' && <p class="muted" role="status">{t('mfa.admin.none')}</p>}
    </section>
  );
}
