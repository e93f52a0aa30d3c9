import type { ComponentChildren } from 'preact';
import type { Me } from '../api/client.js';
import { deskNav } from '../desk/access.js';
import { getLanguage, setLanguage, t } from '../i18n/index.js';
import { isAdmin, logout } from '../session.js';
import { Link } from './link.js';

/** The pages the role's navigation offers, in order. */
function navFor(me: Me): { href: string; label: string }[] {
  const role = me.user.role;
  const links: { href: string; label: string }[] = [];
  if (isAdmin(role)) {
    links.push({ href: '/admin/users', label: t('nav.users') }, { href: '/admin/groups', label: t('nav.groups') }, { href: '/admin/audit', label: t('nav.audit') });
  }
  if (role === 'account_admin') links.push({ href: '/admin/plugins', label: t('nav.plugins') }, { href: '/admin/branding', label: t('nav.branding') });
  if (isAdmin(role)) links.push({ href: '/admin/policy', label: t('nav.policy') });
  if (isAdmin(role)) links.push({ href: '/admin/channels', label: t('nav.channels') }, { href: '/admin/snippet', label: t('nav.snippet') });
  if (role === 'technician') links.push({ href: '/console', label: t('nav.console') });
  links.push(...deskNav(me, t));
  links.push({ href: '/profile', label: t('nav.profile') });
  return links;
}

/** Switches between German and English; the button names the other language in that language. */
function LanguageSwitch() {
  const other = getLanguage() === 'de' ? 'en' : 'de';
  return (
    <button type="button" class="lang" data-testid="lang-switch" title={t('lang.title')} onClick={() => setLanguage(other)}>
      <span lang={other}>{t('lang.switch')}</span>
    </button>
  );
}

/** Header with the role's navigation, the language switch and logout; the page below. */
export function Shell({ me, children }: { me: Me | null; children: ComponentChildren }) {
  return (
    <div class="shell">
      <a class="skip" href="#main">{t('nav.skip')}</a>
      <header class="topbar">
        <span class="brand"><span class="logo" aria-hidden="true">✚</span>{t('app.name')}</span>
        {me && (
          <nav aria-label={t('nav.label')}>
            {navFor(me).map((link) => <Link key={link.href} href={link.href}>{link.label}</Link>)}
          </nav>
        )}
        <div class="actions">
          <LanguageSwitch />
          {me && <span class="who" title={me.user.email}>{me.user.displayName || me.user.email}</span>}
          {me && <button type="button" class="on-dark" data-testid="logout" onClick={() => void logout()}>{t('nav.logout')}</button>}
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
