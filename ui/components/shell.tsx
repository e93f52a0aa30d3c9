import type { ComponentChildren } from 'preact';
import { api, setCsrfToken, type Me } from '../api/client.js';
import { getLanguage, setLanguage, t } from '../i18n/index.js';
import { navigate, usePath } from '../router.js';

function Link({ href, label }: { href: string; label: string }) {
  const path = usePath();
  const go = (event: Event) => {
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={go} aria-current={path.startsWith(href) ? 'page' : undefined}>{label}</a>;
}

/** Header with the role's navigation, the language switch and logout; the page below. */
export function Shell({ me, onLogout, children }: { me: Me | null; onLogout?: () => void; children: ComponentChildren }) {
  const role = me?.user.role;
  const admin = role === 'account_admin' || role === 'network_admin';
  async function logout() {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    onLogout?.();
    navigate('/login');
  }
  return (
    <div class="shell">
      <header class="topbar">
        <strong class="brand">{t('app.name')}</strong>
        <nav aria-label="main">
          {admin && <Link href="/admin/users" label={t('nav.users')} />}
          {admin && <Link href="/admin/groups" label={t('nav.groups')} />}
          {admin && <Link href="/admin/audit" label={t('nav.audit')} />}
          {admin && <Link href="/admin/plugins" label={t('nav.plugins')} />}
          {role === 'account_admin' && <Link href="/admin/branding" label={t('nav.branding')} />}
          {(admin || role === 'technician') && <Link href="/console" label={t('nav.console')} />}
          {me && <Link href="/profile" label={t('nav.profile')} />}
        </nav>
        <div class="actions">
          <button type="button" class="link" data-testid="lang-switch" onClick={() => setLanguage(getLanguage() === 'de' ? 'en' : 'de')}>{t('lang.switch')}</button>
          {me && <span class="who">{me.user.displayName || me.user.email}</span>}
          {me && <button type="button" class="secondary" data-testid="logout" onClick={() => void logout()}>{t('nav.logout')}</button>}
        </div>
      </header>
      {children}
    </div>
  );
}
