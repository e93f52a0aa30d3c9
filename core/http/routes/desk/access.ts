import type { Context, MiddlewareHandler } from 'hono';
import { adminRoles, staffRoles } from '../../../auth/roles.js';
import { actorFor, type DeskActor } from '../../../desk/actor.js';
import { hasPermission } from '../../../sessions/service.js';
import { RateLimiter } from '../../middleware/rate-limit.js';
import type { AppEnv, Principal, Services } from '../../env.js';
import { ApiError } from '../../errors.js';

/** Desk routes are for staff; technicians additionally need `service_desk` from a group. */
export const deskAccess = { roles: staffRoles } as const;

/** Desk settings are changed by admins only. */
export const deskAdminAccess = { roles: adminRoles } as const;

/** Portal routes are for customer accounts only. */
export const portalAccess = { roles: ['customer'] } as const;

/**
 * Middleware for `/api/v1/desk/*`: a technician without the `service_desk` permission is refused
 * (403) before the route reads its body (admins always pass; callers who are no staff at all are
 * left to the route's own `access`, so they get the usual 401/403). A path-prefix middleware
 * means no desk route can forget the check.
 */
export function requireServiceDesk(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal?.role === 'technician' && !(await hasPermission(c.get('services'), principal.userId, 'service_desk'))) {
      await c.get('services').audit.record({
        action: 'desk.access', outcome: 'denied', actorId: principal.userId, actorEmail: principal.email, ip: c.get('clientIp'), details: { path: c.req.path, reason: 'service_desk_permission' },
      });
      throw new ApiError('forbidden', 'The service desk needs the service_desk permission.', { reason: 'service_desk_permission' });
    }
    await next();
  };
}

/** The desk actor behind a request. */
export function deskActor(c: Context<AppEnv>, principal: Principal | null): Promise<DeskActor> {
  const p = principal!;
  return actorFor(c.get('services').db, p, c.get('clientIp'));
}


/** Writes one portal user may make per hour (tickets, comments, files, reopens, votes). */
export const PORTAL_WRITES_PER_HOUR = 60;
const portalLimiters = new WeakMap<Services, RateLimiter>();

/**
 * Counts a portal write and refuses it (429) over the hourly limit: every ticket and reply may
 * send mail, so one account must not be able to flood the desk or the requesters' inboxes.
 */
export function limitPortalWrite(c: Context<AppEnv>, principal: Principal | null): void {
  const services = c.get('services');
  let limiter = portalLimiters.get(services);
  if (!limiter) {
    limiter = new RateLimiter(PORTAL_WRITES_PER_HOUR, 3_600_000, () => services.clock.now());
    portalLimiters.set(services, limiter);
  }
  const wait = limiter.hit(principal!.userId);
  if (wait > 0) throw new ApiError('rate_limited', 'Too many changes; try again later.', { retryAfter: wait }, { 'retry-after': String(wait) });
}
