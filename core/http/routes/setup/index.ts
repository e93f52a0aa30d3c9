import { z } from 'zod';
import { hasAccountAdmin, insertUser } from '../../../accounts/users.js';
import { hashPassword } from '../../../auth/password-hash.js';
import { checkPassword } from '../../../auth/password-policy.js';
import { constantTimeEqual } from '../../../support/secrets.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { startSession } from '../auth/login.js';

const setupBody = z.object({
  token: z.string().min(1).max(200),
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
  displayName: z.string().trim().max(200).optional(),
}).strict();

/** First run: the one-time setup link creates the first account admin, once. */
export const setupRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/setup', tag: 'setup', summary: 'Whether the appliance still needs its first account admin.',
    access: { public: true, reason: 'the setup page must know whether to show itself before anyone can log in' },
    responses: { 200: '{ needed }' },
    handler: async (c) => c.json({ needed: c.get('services').setup.token !== null }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/setup', tag: 'setup', summary: 'Create the first account admin with the one-time setup token from the server log.',
    access: { public: true, reason: 'no account exists yet; the one-time token from the server log is the credential' }, body: setupBody,
    responses: { 201: 'Created and logged in: { user, permissions, csrfToken }', 400: 'weak_password', 403: 'wrong token or already set up' },
    handler: async (c, { body }) => {
      const services = c.get('services');
      const wait = services.loginLimiter.hit(c.get('clientIp'));
      if (wait > 0) throw new ApiError('rate_limited', 'Too many attempts. Try again later.', { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
      const expected = services.setup.token;
      if (expected === null || !constantTimeEqual(body.token, expected) || (await hasAccountAdmin(services.db))) {
        await services.audit.record({ action: 'setup.first_admin', outcome: 'denied', actorEmail: body.email, ip: c.get('clientIp') });
        throw new ApiError('forbidden', 'The setup link is invalid or was already used.');
      }
      const problem = checkPassword(body.password, body.email);
      if (problem) throw new ApiError('weak_password', problem.message, { reason: problem.code });
      services.setup.token = null; // single use, even if what follows fails
      const user = await insertUser(services.db, services.clock, { email: body.email, displayName: body.displayName ?? '', role: 'account_admin', passwordHash: await hashPassword(body.password) });
      await services.audit.record({ action: 'setup.first_admin', outcome: 'success', actorId: user.id, actorEmail: user.email, ip: c.get('clientIp'), targetType: 'user', targetId: user.id });
      return c.json(await startSession(c, user.id, 'setup'), 201);
    },
  }),
];
