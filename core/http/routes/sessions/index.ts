import type { Context } from 'hono';
import { z } from 'zod';
import { getUser } from '../../../accounts/users.js';
import { adminRoles, staffRoles } from '../../../auth/roles.js';
import { capabilityPermission, issueGrant, issueTicket, type GrantCapability } from '../../../sessions/tickets.js';
import { endSupportSession } from '../../../sessions/end.js';
import { createSupportSession, hasPermission, pinChannels, PolicyDenied } from '../../../sessions/service.js';
import { findSessionRow, listOpenSessions, toSupportSession } from '../../../sessions/support-sessions.js';
import type { SupportSessionRow } from '../../../db/schema.js';
import { findDevice } from '../../../devices/devices.js';
import { unattendedFacts } from '../../../devices/unattended.js';
import type { AppEnv, Principal } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';

const staff = { roles: staffRoles } as const;

/** The session, if the caller owns it (or administers the appliance and `adminMay`). */
async function sessionFor(c: Context<AppEnv>, id: string, principal: Principal, adminMay: boolean): Promise<SupportSessionRow> {
  const row = await findSessionRow(c.get('services').db, id);
  const isAdmin = adminRoles.includes(principal.role);
  // Someone else's session answers 404, not 403: its existence is not the caller's business.
  if (!row || (row.technician_id !== principal.userId && !(adminMay && isAdmin))) throw new ApiError('not_found', 'No such support session.');
  // A session in a group's queue (channel link) belongs to nobody until a technician picks it up.
  if (row.queue_group_id && !(adminMay && isAdmin)) throw new ApiError('not_found', 'No such support session: pick it up from the queue first.');
  return row;
}

function policyError(error: unknown): never {
  if (error instanceof PolicyDenied) throw new ApiError('policy_denied', error.message, { code: error.decision.code, reason: error.decision.reason });
  throw error;
}

/** The technician's side of support sessions: create (PIN), list, join, end, ask for permissions. */
export const sessionRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/sessions', tag: 'sessions', summary: 'Open a support session and get its PIN for the customer.', access: staff,
    // pinChannel locks the PIN to where the customer may enter it (enforced by the company-pin plugin).
    body: z.object({ channel: z.string().trim().max(100).optional(), pinChannel: z.enum(pinChannels).optional() }).strict(),
    responses: { 201: '{ id, pin, expiresAt, session }', 403: 'policy_denied' },
    handler: async (c, { body, principal }) => {
      const actor = { userId: principal!.userId, email: principal!.email, role: principal!.role, ip: c.get('clientIp') };
      const { session, pin } = await createSupportSession(c.get('services'), actor, body.channel ?? 'console', body.pinChannel ?? null).catch(policyError);
      return c.json({ id: session.id, pin, expiresAt: session.expiresAt, session }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/sessions', tag: 'sessions', summary: 'Waiting and active sessions: one\'s own, or all for admins.', access: staff,
    responses: { 200: '{ sessions }' },
    handler: async (c, { principal }) => {
      const { db, clock } = c.get('services');
      const all = adminRoles.includes(principal!.role);
      return c.json({ sessions: await listOpenSessions(db, all ? null : principal!.userId, clock.now()) });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/sessions/:id', tag: 'sessions', summary: 'One session\'s state.', access: staff,
    responses: { 200: '{ session }', 404: 'No such session (or not yours)' },
    handler: async (c, { params, principal }) => {
      const row = await sessionFor(c, params.id!, principal!, true);
      return c.json({ session: toSupportSession(row, c.get('services').clock.now()) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/sessions/:id/join', tag: 'sessions', summary: 'A single-use relay ticket for the technician\'s console.', access: staff,
    responses: { 200: '{ ticket, expiresAt, relayPath }', 404: 'No such session', 409: 'Session ended or expired' },
    handler: async (c, { params, principal }) => {
      const services = c.get('services');
      const session = toSupportSession(await sessionFor(c, params.id!, principal!, false), services.clock.now());
      if (session.status !== 'waiting' && session.status !== 'active') throw new ApiError('conflict', `The session is ${session.status}.`);
      return c.json({ ...issueTicket(services, session.id, 'technician'), relayPath: '/relay' });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/sessions/:id/end', tag: 'sessions', summary: 'End a session; the relay closes it at once.', access: staff,
    responses: { 204: 'Ended', 404: 'No such session' },
    handler: async (c, { params, principal }) => {
      const row = await sessionFor(c, params.id!, principal!, true);
      const by = row.technician_id === principal!.userId ? 'technician' : 'admin';
      await endSupportSession(c.get('services'), row.id, by, `ended by ${principal!.email}`, { id: principal!.userId, email: principal!.email, ip: c.get('clientIp') });
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/sessions/:id/grants', tag: 'sessions', summary: 'Ask the broker for a signed grant to request a capability from the customer (group permission and policy checked).', access: staff,
    body: z.object({ capability: z.enum(Object.keys(capabilityPermission) as [GrantCapability, ...GrantCapability[]]) }).strict(),
    responses: { 200: '{ grant, expiresAt }', 403: 'no group permission, or policy_denied', 404: 'No such session', 409: 'Session not active' },
    handler: async (c, { body, params, principal }) => {
      const services = c.get('services');
      const row = await sessionFor(c, params.id!, principal!, false);
      if (row.status !== 'active') throw new ApiError('conflict', 'The customer has not joined this session.');
      const permission = capabilityPermission[body.capability];
      const audit = (outcome: 'allow' | 'deny', reason: string) => services.audit.record({
        action: 'permission.request', outcome, actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'),
        targetType: 'support_session', targetId: row.id, details: { capability: body.capability, permission, reason },
      });
      if (!(await hasPermission(services, principal!.userId, permission))) {
        await audit('deny', 'group_permission_missing');
        throw new ApiError('forbidden', `Your technician groups do not grant ${permission}.`);
      }
      // The account's real groups, as "test a policy" shows them: a plugin may decide by group.
      const technician = { id: principal!.userId, email: principal!.email, role: principal!.role, groups: (await getUser(services.db, principal!.userId))?.groups ?? [] };
      const device = row.device_id ? await findDevice(services.db, row.device_id) : null;
      const decision = await services.pipeline.decide('permissionRequest', {
        ip: c.get('clientIp'), at: services.clock.now(), actor: technician, sessionId: row.id, channel: row.channel, facts: {}, technician, permission,
        ...(device && { unattended: unattendedFacts(device) }),
      }, { type: 'support_session', id: row.id });
      if (decision.outcome !== 'allow') {
        await audit('deny', decision.code ?? 'policy');
        throw new ApiError('policy_denied', decision.reason ?? 'Refused by policy.', { code: decision.code });
      }
      await audit('allow', 'granted_by_broker_pending_customer_consent');
      return c.json(issueGrant(services, row.id, body.capability));
    },
  }),
];
