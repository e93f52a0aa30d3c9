import type { Me } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { ApiTokens } from '../components/api-tokens.js';
import { ErrorText } from '../components/error-text.js';
import { Page } from '../components/page.js';
import { PasswordForm } from '../components/password-form.js';
import { MfaSection } from '../components/totp/mfa-section.js';
import { t } from '../i18n/index.js';
import { logout } from '../session.js';

/** One's own account: who one is, password, API tokens, and logging out of every session. */
export function ProfilePage({ me }: { me: Me }) {
  const action = useAction();
  const { user } = me;
  return (
    <Page title={t('profile.title')}>
      <section class="card" aria-labelledby="account-title">
        <h2 id="account-title">{t('profile.account')}</h2>
        <dl class="facts">
          <dt>{t('admin.user.email')}</dt><dd>{user.email}</dd>
          <dt>{t('admin.user.name')}</dt><dd>{user.displayName || '—'}</dd>
          <dt>{t('admin.user.role')}</dt><dd>{t(`role.${user.role}`)}</dd>
          <dt>{t('profile.permissions')}</dt>
          <dd>{me.permissions.length ? me.permissions.map((p) => <span key={p} class="badge">{t(`perm.${p}`)}</span>) : '—'}</dd>
        </dl>
      </section>
      <div class="grid2">
        <PasswordForm />
        <section class="card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">{t('profile.logoutAll.title')}</h2>
          <p>{t('profile.logoutAll.hint')}</p>
          <ErrorText error={action.error} />
          <button type="button" class="danger" data-testid="logout-all" disabled={action.busy} onClick={() => void action.run(() => logout(true))}>{t('profile.logoutAll.button')}</button>
        </section>
      </div>
      <MfaSection />
      <ApiTokens />
    </Page>
  );
}
