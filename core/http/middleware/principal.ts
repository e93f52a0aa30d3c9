import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { resolveApiToken } from '../../auth/api-tokens.js';
import { resolveLoginSession, type SessionLifetime } from '../../auth/login-sessions.js';
import type { Role } from '../../auth/roles.js';
import type { AppEnv, Principal, Services } from '../env.js';
import { ApiError } from '../errors.js';

/** Name of the login cookie; the __Host- prefix (Secure, host-only, Path=/) where TLS allows it. */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-rb_session' : 'rb_session');

/** Whether cookies get the Secure flag under this config. */
export const cookiesSecure = (services: Services): boolean => services.config.secureCookies ?? services.config.tls === 'on';

/** Lifetimes of login sessions from the config. */
export const sessionLifetime = (services: Services): SessionLifetime => ({
  idleMs: services.config.sessionIdleMinutes * 60_000,
  maxMs: services.config.sessionMaxHours * 3_600_000,
});

/** Sets the login cookie: HttpOnly, SameSite=Strict, Secure when TLS. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  const services = c.get('services');
  const secure = cookiesSecure(services);
  setCookie(c, sessionCookieName(secure), token, {
    httpOnly: true, secure, sameSite: 'Strict', path: '/', expires: new Date(expiresAt),
  });
}

/** Removes the login cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = cookiesSecure(c.get('services'));
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure, httpOnly: true, sameSite: 'Strict' });
}

/**
 * Finds out who is calling, from a Bearer API token or the login cookie. A disabled account
 * or an expired session is nobody. Routes then decide whether nobody may pass.
 */
export function resolvePrincipal(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = c.get('services');
    c.set('principal', null);
    const authorization = c.req.header('authorization');
    if (authorization !== undefined && !/^(Agent|Device)\s/i.test(authorization)) {
      const secret = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const token = secret ? await resolveApiToken(services.db, services.clock, secret) : null;
      // A bad token is an error, not a silent fall-back to the cookie: scripts should hear about it.
      if (!token) throw new ApiError('unauthenticated', 'The API token is invalid or expired.');
      c.set('principal', await principalFor(services, token.userId, 'token', null, token.tokenId));
    } else {
      const cookie = getCookie(c, sessionCookieName(cookiesSecure(services)));
      const session = cookie ? await resolveLoginSession(services.db, services.clock, sessionLifetime(services), cookie) : null;
      if (session) c.set('principal', await principalFor(services, session.userId, 'session', session.id, null));
      else if (cookie) clearSessionCookie(c);
    }
    await next();
  };
}

async function principalFor(services: Services, userId: string, via: Principal['via'], sessionId: string | null, tokenId: string | null): Promise<Principal | null> {
  const user = await services.db.selectFrom('users').select(['id', 'email', 'role', 'enabled']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.enabled !== 1) return null;
  return { userId: user.id, email: user.email, role: user.role as Role, via, sessionId, tokenId };
}
