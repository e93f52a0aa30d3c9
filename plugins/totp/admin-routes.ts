import { mayManageRole, type Role } from '../../core/auth/roles.js';
import { ApiError } from '../../core/http/errors.js';
import { defineRoute, type RouteSpec } from '../../core/http/route.js';
import type { PluginHost } from '../../core/policy/host.js';
import type { TotpService } from './service.js';
import { removeEnrolment } from './store.js';

/**
 * An admin's way out for a lost phone without recovery codes: removes the account's
 * authenticator (it enrols again at its next login if policy requires MFA). Network admins may
 * not do this to account admins, as with every other change to those accounts.
 */
export function adminMfaRoutes(host: PluginHost, service: TotpService): RouteSpec[] {
  return [
    defineRoute({
      method: 'delete', path: '/api/v1/plugins/totp/users/:id', tag: 'totp', summary: 'Admin: remove an account\'s authenticator (lost device); it enrols again at its next login if required.', access: { roles: ['account_admin', 'network_admin'] },
      responses: { 204: 'Removed', 403: 'may not manage this account', 404: 'No such account or not enrolled' },
      handler: async (c, { params, principal }) => {
        const target = await host.db.selectFrom('users').select(['id', 'role']).where('id', '=', params.id!).executeTakeFirst();
        if (!target) throw new ApiError('not_found', 'No such account.');
        if (!mayManageRole(principal!.role, target.role as Role)) throw new ApiError('forbidden', 'Your role may not manage this account.');
        if (!(await service.enrolment(target.id))) throw new ApiError('not_found', 'This account has no authenticator.');
        await removeEnrolment(host.db, target.id);
        await host.audit.record({ action: 'mfa.admin_reset', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'user', targetId: target.id });
        return c.body(null, 204);
      },
    }),
  ];
}
