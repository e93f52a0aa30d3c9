import { t } from '../../i18n/index.js';
import { usePath } from '../../router.js';
import { isAdmin, useSession } from '../../session.js';
import { Link } from '../link.js';

/** The desk's areas, each a path prefix. */
const areas: [string, string][] = [
  ['/desk/incidents', 'desk.nav.incidents'],
  ['/desk/problems', 'desk.nav.problems'],
  ['/desk/changes', 'desk.nav.changes'],
  ['/desk/releases', 'desk.nav.releases'],
  ['/desk/cmdb', 'desk.nav.cmdb'],
  ['/desk/kb', 'desk.nav.kb'],
];

/** The service desk's second navigation row: incidents, problems, changes, releases, CMDB, knowledge base. */
export function DeskTabs() {
  const path = usePath();
  const me = useSession();
  const shown = isAdmin(me?.user.role) ? [...areas, ['/desk/settings', 'desk.nav.settings'] as [string, string]] : areas;
  return (
    <nav class="desk-tabs" aria-label={t('desk.nav.label')}>
      {shown.map(([href, key]) => (
        <Link key={href} href={href} class={path === href || path.startsWith(`${href}/`) ? 'active' : undefined}>{t(key)}</Link>
      ))}
    </nav>
  );
}

/** The portal's navigation: own incidents, a new one, the knowledge base. */
export function PortalTabs() {
  const path = usePath();
  const links: [string, string, boolean][] = [
    ['/portal', 'portal.nav.incidents', path === '/portal' || path.startsWith('/portal/incidents')],
    ['/portal/new', 'portal.nav.new', path === '/portal/new'],
    ['/portal/kb', 'portal.nav.kb', path.startsWith('/portal/kb')],
  ];
  return (
    <nav class="desk-tabs" aria-label={t('portal.nav.label')}>
      {links.map(([href, key, active]) => <Link key={href} href={href} class={active ? 'active' : undefined}>{t(key)}</Link>)}
    </nav>
  );
}
