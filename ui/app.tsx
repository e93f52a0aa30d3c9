import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { meApi, whenUnauthenticated, type Me } from './api/client.js';
import { Redirect } from './components/link.js';
import { Shell } from './components/shell.js';
import { t, useLanguage } from './i18n/index.js';
import { AuditPage } from './pages/admin-audit.js';
import { BrandingPage } from './pages/admin-branding.js';
import { ChannelsPage } from './pages/admin-channels.js';
import { SnippetPage } from './pages/admin-snippet.js';
import { GroupsPage } from './pages/admin-groups.js';
import { PluginsPage } from './pages/admin-plugins.js';
import { PolicyPage } from './pages/admin-policy.js';
import { UsersPage } from './pages/admin-users.js';
import { SessionPage } from './pages/console-session.js';
import { ConsolePage } from './pages/console.js';
import { deskRoutes } from './pages/desk/routes.js';
import { portalRoutes } from './pages/portal/routes.js';
import { LoginPage } from './pages/login.js';
import { PinPage } from './pages/pin.js';
import { ProfilePage } from './pages/profile.js';
import { SetupPage } from './pages/setup.js';
import { navigate, usePath } from './router.js';
import { homeFor, isAdmin, setSession, useSession } from './session.js';

/** A page behind login: who may open it and what it shows. */
interface StaffRoute {
  allowed: (me: Me) => boolean;
  render: (me: Me, params: string[]) => ComponentChildren;
}

const admin = (me: Me) => isAdmin(me.user.role);
const owner = (me: Me) => me.user.role === 'account_admin';
const staff = (me: Me) => me.user.role !== 'customer';

/** Every page behind login, by path pattern; a path not here, or not allowed to the role, goes to the role's home. */
const staffRoutes: [RegExp, StaffRoute][] = [
  [/^\/admin\/users$/, { allowed: admin, render: (me) => <UsersPage me={me} /> }],
  [/^\/admin\/groups$/, { allowed: admin, render: () => <GroupsPage /> }],
  [/^\/admin\/audit$/, { allowed: admin, render: () => <AuditPage /> }],
  // The server lets only account admins read and change plugins and branding.
  [/^\/admin\/plugins$/, { allowed: owner, render: () => <PluginsPage /> }],
  // Network admins may test policies too (the explain API allows both admin roles).
  [/^\/admin\/policy$/, { allowed: admin, render: () => <PolicyPage /> }],
  [/^\/admin\/branding$/, { allowed: owner, render: (me) => <BrandingPage me={me} /> }],
  [/^\/admin\/channels$/, { allowed: admin, render: () => <ChannelsPage /> }],
  [/^\/admin\/snippet$/, { allowed: admin, render: (me) => <SnippetPage me={me} /> }],
  [/^\/console$/, { allowed: staff, render: (me) => <ConsolePage me={me} /> }],
  [/^\/console\/session\/([\w-]+)$/, { allowed: staff, render: (me, [id]) => <SessionPage me={me} sessionId={id!} /> }],
  [/^\/profile$/, { allowed: () => true, render: (me) => <ProfilePage me={me} /> }],
  ...deskRoutes,
  ...portalRoutes,
];

/** The page for a path behind login, or null when the account may not see it. */
function staffPage(path: string, me: Me): ComponentChildren | null {
  for (const [pattern, route] of staffRoutes) {
    const match = pattern.exec(path);
    if (match) return route.allowed(me) ? route.render(me, match.slice(1)) : null;
  }
  return null;
}

/** The app: the customer's PIN page, login and setup for everyone, the consoles behind login. */
export function App() {
  useLanguage();
  const path = usePath();
  const me = useSession();

  useEffect(() => {
    whenUnauthenticated(() => {
      setSession(null);
      navigate('/login');
    });
    meApi.get(true).then(setSession, () => setSession(null));
  }, []);

  const loggedIn = (m: Me) => {
    setSession(m);
    navigate(homeFor(m), true);
  };

  // Public pages render at once, without waiting for /me.
  if (path === '/pin') return <PinPage />;
  if (path === '/setup') return <Shell me={null}><SetupPage onLogin={loggedIn} /></Shell>;
  if (me === undefined) return <p class="loading" role="status">{t('common.loading')}</p>;
  if (path === '/login') return me ? <Redirect to={homeFor(me)} /> : <Shell me={null}><LoginPage onLogin={loggedIn} /></Shell>;
  // The appliance's root is the customers' PIN page; staff who are logged in go to their home.
  if (!me) return path === '/' ? <PinPage /> : <Redirect to="/login" />;
  const page = staffPage(path, me);
  if (!page) return <Redirect to={homeFor(me)} />;
  return <Shell me={me}>{page}</Shell>;
}
