import { z } from 'zod';
import { endAllLoginSessions, endLoginSession } from '../../../auth/login-sessions.js';
import { roles } from '../../../auth/roles.js';
import { clearSessionCookie } from '../../middleware/principal.js';
import { defineRoute } from '../../route.js';
import { loginWithPassword } from './login.js';

const anyAccount = { roles } as const;

const loginBody = z.object({
  // Not checked as an e-mail: directory (LDAP) users may type a user name, UPN or DOMAIN\name.
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  code: z.string().trim().max(64).optional(),
});

/** Login, logout and "log out everywhere". */
export const authRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/auth/login', tag: 'auth', summary: 'Log in with e-mail (or a directory user name when the ldap plugin is on) and password (and a one-time code when asked); sets the session cookie.',
    access: { public: true, reason: 'logging in is how one stops being anonymous' }, body: loginBody,
    responses: { 200: 'Logged in: { user, permissions, csrfToken }', 401: 'Wrong credentials, or { error: "challenge" } when a code is needed', 403: 'Refused by a policy plugin', 429: 'Locked or rate limited; see Retry-After' },
    handler: async (c, { body }) => c.json(await loginWithPassword(c, body)),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/auth/logout', tag: 'auth', summary: 'End the current login session.', access: anyAccount,
    responses: { 204: 'Logged out' },
    handler: async (c, { principal }) => {
      const { db, audit } = c.get('services');
      if (principal?.sessionId) await endLoginSession(db, principal.sessionId);
      clearSessionCookie(c);
      await audit.record({ action: 'auth.logout', outcome: 'success', actorId: principal?.userId, actorEmail: principal?.email, ip: c.get('clientIp') });
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/auth/logout-all', tag: 'auth', summary: 'End every login session of the current account, everywhere.', access: anyAccount,
    responses: { 204: 'All sessions ended' },
    handler: async (c, { principal }) => {
      const { db, audit } = c.get('services');
      const ended = await endAllLoginSessions(db, principal!.userId);
      clearSessionCookie(c);
      await audit.record({ action: 'auth.logout_all', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { ended } });
      return c.body(null, 204);
    },
  }),
];
