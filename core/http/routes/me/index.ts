import { z } from 'zod';
import { getUser, permissionsOf, updateUser } from '../../../accounts/users.js';
import { createApiToken, deleteApiToken, listApiTokens } from '../../../auth/api-tokens.js';
import { endAllLoginSessions } from '../../../auth/login-sessions.js';
import { hashPassword, verifyPassword } from '../../../auth/password-hash.js';
import { checkPassword } from '../../../auth/password-policy.js';
import { roles } from '../../../auth/roles.js';
import { csrfTokenFor } from '../../middleware/csrf.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';

const anyAccount = { roles } as const;

/** The caller's own account: profile, password change, personal API tokens. */
export const meRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/me', tag: 'me', summary: 'The current account, its permissions and its CSRF token.', access: anyAccount,
    responses: { 200: '{ user, permissions, csrfToken }' },
    handler: async (c, { principal }) => {
      const { db, csrfKey } = c.get('services');
      const user = await getUser(db, principal!.userId);
      return c.json({ user, permissions: await permissionsOf(db, principal!.userId), csrfToken: principal!.sessionId ? csrfTokenFor(csrfKey, principal!.sessionId) : null });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/me', tag: 'me', summary: 'Change one\'s display name or UI language.', access: anyAccount,
    body: z.object({ displayName: z.string().trim().max(200).optional(), language: z.enum(['de', 'en']).nullable().optional() }).strict(),
    responses: { 200: '{ user }' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      return c.json({ user: await updateUser(db, clock, principal!.userId, body) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/me/password', tag: 'me', summary: 'Change one\'s password; ends every other login session.', access: anyAccount,
    body: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }),
    responses: { 204: 'Changed', 400: 'weak_password', 401: 'invalid_credentials (current password wrong)' },
    handler: async (c, { body, principal }) => {
      const { db, clock, audit } = c.get('services');
      const row = await db.selectFrom('users').select(['password_hash', 'email']).where('id', '=', principal!.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(body.currentPassword, row.password_hash))) {
        await audit.record({ action: 'account.password_change', outcome: 'failure', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { reason: 'current_password_wrong' } });
        throw new ApiError('invalid_credentials', 'The current password is wrong.');
      }
      const problem = checkPassword(body.newPassword, row.email);
      if (problem) throw new ApiError('weak_password', problem.message, { reason: problem.code });
      await updateUser(db, clock, principal!.userId, { passwordHash: await hashPassword(body.newPassword) });
      const ended = await endAllLoginSessions(db, principal!.userId, principal!.sessionId ?? undefined);
      await audit.record({ action: 'account.password_change', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'user', targetId: principal!.userId, details: { otherSessionsEnded: ended } });
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/me/tokens', tag: 'me', summary: 'List one\'s personal API tokens (never their secrets).', access: anyAccount,
    responses: { 200: '{ tokens }' },
    handler: async (c, { principal }) => c.json({ tokens: await listApiTokens(c.get('services').db, principal!.userId) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/me/tokens', tag: 'me', summary: 'Create a personal API token with the same permissions as its owner; the secret is shown once.', access: anyAccount,
    body: z.object({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }),
    responses: { 201: '{ token, secret }' },
    handler: async (c, { body, principal }) => {
      const { db, clock, audit } = c.get('services');
      const { info, secret } = await createApiToken(db, clock, principal!.userId, body.name, body.expiresInDays);
      await audit.record({ action: 'token.create', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'api_token', targetId: info.id, details: { name: info.name } });
      return c.json({ token: info, secret }, 201);
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/me/tokens/:id', tag: 'me', summary: 'Revoke one of one\'s API tokens.', access: anyAccount,
    responses: { 204: 'Revoked', 404: 'No such token' },
    handler: async (c, { params, principal }) => {
      const { db, audit } = c.get('services');
      if (!(await deleteApiToken(db, principal!.userId, params.id!))) throw new ApiError('not_found', 'No such token.');
      await audit.record({ action: 'token.revoke', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'api_token', targetId: params.id! });
      return c.body(null, 204);
    },
  }),
];
