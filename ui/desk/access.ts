import type { Me } from '../api/client.js';
import { isAdmin } from '../session.js';

/**
 * Who may use the service desk: admins, and technicians whose groups grant `service_desk`
 * (the server checks the same on every /api/v1/desk call; this only keeps the UI tidy).
 */
export const mayUseDesk = (me: Me): boolean => isAdmin(me.user.role) || (me.user.role === 'technician' && me.permissions.includes('service_desk'));

/** The self-service portal is for customer accounts only (the API refuses everyone else). */
export const mayUsePortal = (me: Me): boolean => me.user.role === 'customer';

/** The service desk's and the portal's entries in the main navigation, for the shell. */
export function deskNav(me: Me, t: (key: string) => string): { href: string; label: string }[] {
  if (mayUsePortal(me)) return [{ href: '/portal', label: t('portal.nav.title') }, { href: '/portal/kb', label: t('portal.nav.kb') }];
  return mayUseDesk(me) ? [{ href: '/desk/incidents', label: t('desk.nav.title') }] : [];
}
