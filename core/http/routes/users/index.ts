import type { Context } from 'hono';
import { missingGroupIds } from '../../../accounts/groups.js';
import {
  countApiTokens, countEnabledAccountAdmins, deleteUser, findUserRowByEmail, getUser, insertUser, listUsers, updateUser, type User,
} from '../../../accounts/users.js';
import { endAllLoginSessions } from '../../../auth/login-sessions.js';
import { hashPassword } from '../../../auth/password-hash.js';
import { checkPassword } from '../../../auth/password-policy.js';
import { adminRoles, mayManageRole, type Role } from '../../../auth/roles.js';
import type { AppEnv, Principal } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { createUserBody, updateUserBody } from './schema.js';

const admins = { roles: adminRoles } as const;

/** Refuses (and audits the refusal of) managing an account of a role the caller may not manage. */
async function requireManage(c: Context<AppEnv>, principal: Principal, role: Role, action: string, targetId: string | null): Promise<void> {
  if (mayManageRole(principal.role, role)) return;
  await c.get('services').audit.record({
    action, outcome: 'denied', actorId: principal.userId, actorEmail: principal.email, ip: c.get('clientIp'), targetType: 'user', targetId,
    details: { reason: 'role_not_manageable', callerRole: principal.role, role },
  });
  throw new ApiError('forbidden', `A ${principal.role} may not manage ${role} accounts.`);
}

async function requireGroups(c: Context<AppEnv>, groups: string[] | undefined): Promise<void> {
  const missing = await missingGroupIds(c.get('services').db, groups ?? []);
  if (missing.length > 0) throw new ApiError('invalid_request', `Unknown group id: ${missing.join(', ')}.`);
}

async function requireFreeEmail(c: Context<AppEnv>, email: string, exceptId?: string): Promise<void> {
  const existing = await findUserRowByEmail(c.get('services').db, email);
  if (existing && existing.id !== exceptId) throw new ApiError('conflict', 'An account with this e-mail already exists.');
}

function requireStrongPassword(password: string, email: string): void {
  const problem = checkPassword(password, email);
  if (problem) throw new ApiError('weak_password', problem.message, { reason: problem.code });
}

/** The last enabled account admin must stay one, or nobody could administer the appliance. */
async function keepLastAccountAdmin(c: Context<AppEnv>, target: User, losesAdmin: boolean): Promise<void> {
  if (!losesAdmin || target.role !== 'account_admin' || !target.enabled) return;
  if ((await countEnabledAccountAdmins(c.get('services').db)) <= 1) {
    throw new ApiError('conflict', 'This is the last enabled account admin; create another one first.');
  }
}

async function loadTarget(c: Context<AppEnv>, id: string, principal: Principal, action: string): Promise<User> {
  const user = await getUser(c.get('services').db, id);
  if (!user) throw new ApiError('not_found', 'No such account.');
  await requireManage(c, principal, user.role, action, user.id);
  return user;
}

function audit(c: Context<AppEnv>, principal: Principal, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
  return c.get('services').audit.record({
    action, outcome: 'success', actorId: principal.userId, actorEmail: principal.email, ip: c.get('clientIp'), targetType: 'user', targetId, details,
  });
}

/** Account administration: list, create, read, change (incl. password reset), delete. */
export const userRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/users', tag: 'users', summary: 'List all accounts.', access: admins,
    responses: { 200: '{ users }' },
    handler: async (c) => c.json({ users: await listUsers(c.get('services').db) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/users', tag: 'users', summary: 'Create an account.', access: admins, body: createUserBody,
    responses: { 201: '{ user }', 400: 'invalid_request or weak_password', 403: 'role not manageable by the caller', 409: 'e-mail taken' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      await requireManage(c, principal!, body.role, 'account.create', null);
      requireStrongPassword(body.password, body.email);
      await requireGroups(c, body.groups);
      await requireFreeEmail(c, body.email);
      const user = await insertUser(db, clock, { ...body, passwordHash: await hashPassword(body.password) });
      await audit(c, principal!, 'account.create', user.id, { email: user.email, role: user.role, groups: user.groups, enabled: user.enabled });
      return c.json({ user }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/users/:id', tag: 'users', summary: 'Read one account.', access: admins,
    responses: { 200: '{ user }', 404: 'No such account' },
    handler: async (c, { params }) => {
      const user = await getUser(c.get('services').db, params.id!);
      if (!user) throw new ApiError('not_found', 'No such account.');
      return c.json({ user });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/users/:id', tag: 'users', summary: 'Change an account; a password here resets it and ends the account\'s sessions.', access: admins, body: updateUserBody,
    responses: { 200: '{ user }', 400: 'invalid_request or weak_password', 403: 'not manageable', 404: 'No such account', 409: 'e-mail taken or last admin' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      const target = await loadTarget(c, params.id!, principal!, 'account.update');
      if (body.role) await requireManage(c, principal!, body.role, 'account.update', target.id);
      await keepLastAccountAdmin(c, target, (body.role !== undefined && body.role !== 'account_admin') || body.enabled === false);
      if (body.email) await requireFreeEmail(c, body.email, target.id);
      if (body.password) requireStrongPassword(body.password, body.email ?? target.email);
      await requireGroups(c, body.groups);
      const { password, ...rest } = body;
      const revokedTokens = body.enabled === false ? await countApiTokens(db, target.id) : undefined;
      const user = await updateUser(db, clock, target.id, { ...rest, ...(password && { passwordHash: await hashPassword(password) }) });
      // Losing access must take effect now, not when the session would have expired.
      if (password || body.enabled === false || (body.role && body.role !== target.role)) await endAllLoginSessions(db, target.id);
      await audit(c, principal!, password ? 'account.password_reset' : 'account.update', target.id, { changed: Object.keys(body).filter((k) => k !== 'password'), ...rest, passwordReset: Boolean(password), ...(revokedTokens !== undefined && { revokedTokens }) });
      return c.json({ user });
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/users/:id', tag: 'users', summary: 'Delete an account with its sessions and tokens.', access: admins,
    responses: { 204: 'Deleted', 403: 'not manageable', 404: 'No such account', 409: 'last admin or oneself' },
    handler: async (c, { params, principal }) => {
      const target = await loadTarget(c, params.id!, principal!, 'account.delete');
      if (target.id === principal!.userId) throw new ApiError('conflict', 'You cannot delete your own account.');
      await keepLastAccountAdmin(c, target, true);
      await deleteUser(c.get('services').db, target.id);
      await audit(c, principal!, 'account.delete', target.id, { email: target.email, role: target.role });
      return c.body(null, 204);
    },
  }),
];
