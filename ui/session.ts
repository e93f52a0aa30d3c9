import { useEffect, useState } from 'preact/hooks';
import { authApi, request, setCsrfToken, type Me, type Role } from './api/client.js';
import { navigate } from './router.js';

/**
 * Who is logged in, shared by the shell and the pages: `undefined` while /me is still loading,
 * `null` when nobody is. One small store instead of passing callbacks down every page.
 */
let current: Me | null | undefined;
const listeners = new Set<(me: Me | null | undefined) => void>();

/** Sets the logged-in account (or none) and its CSRF token. */
export function setSession(me: Me | null): void {
  current = me;
  setCsrfToken(me?.csrfToken ?? null);
  for (const listener of listeners) listener(me);
}

/** The logged-in account; re-renders when it changes. */
export function useSession(): Me | null | undefined {
  const [me, setMe] = useState(current);
  useEffect(() => {
    listeners.add(setMe);
    setMe(current);
    return () => void listeners.delete(setMe);
  }, []);
  return me;
}

/** Roles that administer the appliance. */
export const isAdmin = (role: Role | undefined): boolean => role === 'account_admin' || role === 'network_admin';

/** Where an account lands after login and on `/`. */
export const homeFor = (me: Me): string => (isAdmin(me.user.role) ? '/admin/users' : me.user.role === 'technician' ? '/console' : me.user.role === 'customer' ? '/portal' : '/profile');

/** Ends this login session (or every session of the account) and goes to the login page. */
export async function logout(everywhere = false): Promise<void> {
  if (everywhere) {
    await authApi.logoutAll();
  } else {
    // The oidc plugin's logout also names the provider's logout page for a session that came from it; off, it answers 404.
    const sso = await request<{ redirect: string | null }>('POST', '/api/v1/plugins/oidc/logout').catch(() => null);
    if (!sso) await authApi.logout().catch(() => undefined);
    if (sso?.redirect) {
      setSession(null);
      location.assign(sso.redirect);
      return;
    }
  }
  setSession(null);
  navigate('/login');
}
