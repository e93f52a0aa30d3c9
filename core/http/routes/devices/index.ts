import type { Context } from 'hono';
import { z } from 'zod';
import { adminRoles, staffRoles } from '../../../auth/roles.js';
import { csvCell } from '../../../audit/query.js';
import { devicePublicKey } from '../../../../protocol/device-auth.js';
import { findDevice, listDevices, toDeviceView, type DeviceFilter, type DeviceView } from '../../../devices/devices.js';
import { enrolWithToken, revokeDevice } from '../../../devices/service.js';
import { startUnattended } from '../../../devices/unattended.js';
import type { AppEnv, Principal } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deploymentTokenRoutes } from './tokens.js';

const staff = { roles: staffRoles } as const;
const admins = { roles: adminRoles } as const;

const listQuery = z.object({
  q: z.string().max(200).optional(),
  status: z.enum(['active', 'revoked', 'expired']).optional(),
  online: z.enum(['true', 'false']).optional(),
}).strict();

const enrolBody = z.object({
  token: z.string().min(1).max(200),
  publicKey: devicePublicKey,
  proof: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  name: z.string().trim().min(1).max(255),
  os: z.string().max(255),
  agentVersion: z.string().max(50),
  settings: z.object({ askEveryStart: z.boolean().optional(), askSeconds: z.number().int().min(5).max(600).optional() }).strict().default({}),
}).strict();

/** The groups whose devices the caller sees: all for admins; else their groups that grant unattended_access. */
async function visibleGroups(c: Context<AppEnv>, principal: Principal): Promise<string[] | null> {
  if (adminRoles.includes(principal.role)) return null;
  const rows = await c.get('services').db.selectFrom('user_groups').innerJoin('group_permissions', 'group_permissions.group_id', 'user_groups.group_id')
    .select('user_groups.group_id').where('user_groups.user_id', '=', principal.userId).where('group_permissions.permission', '=', 'unattended_access').execute();
  return rows.map((r) => r.group_id);
}

async function filteredDevices(c: Context<AppEnv>, principal: Principal, query: z.output<typeof listQuery>): Promise<DeviceView[]> {
  const { db, clock } = c.get('services');
  const filter: DeviceFilter = { groupIds: await visibleGroups(c, principal), q: query.q, status: query.status, online: query.online === undefined ? undefined : query.online === 'true' };
  return listDevices(db, clock.now(), filter);
}

const csvColumns = ['id', 'name', 'os', 'agentVersion', 'groupId', 'status', 'online', 'lastSeenAt', 'ciId', 'consent', 'enrolledAt', 'expiresAt', 'revokedAt', 'revokedBy'] as const;
const isoOrEmpty = (value: number | null) => (value === null ? '' : new Date(value).toISOString());

/** Devices as CSV (RFC 4180), times as ISO 8601, the consent record as JSON. */
export function devicesCsv(devices: DeviceView[]): string {
  const lines = [csvColumns.join(',')];
  for (const d of devices) {
    lines.push(csvColumns.map((col) => csvCell(col.endsWith('At') ? isoOrEmpty(d[col] as number | null) : d[col])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Unattended devices: enrolment with a deployment token, the list, starting a session, revoking. */
export const devicesRoutes = [
  ...deploymentTokenRoutes,
  defineRoute({
    method: 'post', path: '/api/v1/devices/enrol', tag: 'devices', summary: 'A device enrols its own public key with a deployment token (shown once to an admin).', maxBodyBytes: 8 * 1024,
    access: { public: true, reason: 'A device being deployed has no account: the deployment token in the body is its credential, checked, spent and audited here.' },
    body: enrolBody,
    responses: { 201: '{ deviceId, brokerKey, expiresAt }', 403: 'Token refused (unknown, expired, used up, revoked) or bad proof', 429: 'rate_limited' },
    handler: async (c, { body }) => {
      const services = c.get('services');
      const ip = c.get('clientIp');
      // A deployment token is random, not guessable: the per-IP limit (its own key) applies, no global PIN budget.
      const limited = services.pinBudgets.tokenAttempt(`device-enrol:${ip}`);
      if (!limited.ok) throw new ApiError('rate_limited', 'Too many enrolment attempts; wait a minute.', {}, { 'Retry-After': String(limited.waitSeconds) });
      const device = await enrolWithToken(services, body, ip);
      if (!device) throw new ApiError('forbidden', 'The deployment token was refused.');
      return c.json({ deviceId: device.id, brokerKey: services.signing.publicPem, expiresAt: device.expires_at }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/devices', tag: 'devices', summary: 'Enrolled devices of the caller\'s technician groups (all for admins); search and filter.', access: staff, query: listQuery,
    responses: { 200: '{ devices }' },
    handler: async (c, { query, principal }) => c.json({ devices: await filteredDevices(c, principal!, query) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/devices.csv', tag: 'devices', summary: 'The filtered device list as a CSV download.', access: staff, query: listQuery,
    responses: { 200: 'text/csv' },
    handler: async (c, { query, principal }) => c.body(devicesCsv(await filteredDevices(c, principal!, query)), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="devices.csv"' }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/devices/:id/start', tag: 'devices', summary: 'Start an unattended session (group permission, credential lockout and the agentConnect/permissionRequest policies decide).', access: staff,
    responses: { 201: '{ sessionId, secret, ticket, expiresAt, relayPath }', 403: 'no group permission, or policy_denied', 404: 'No such device', 429: 'Too many wrong device credentials' },
    handler: async (c, { params, principal }) => {
      const outcome = await startUnattended(c.get('services'), { userId: principal!.userId, email: principal!.email, ip: c.get('clientIp') }, params.id!);
      if (outcome.ok) return c.json({ sessionId: outcome.sessionId, secret: outcome.secret, ticket: outcome.ticket, expiresAt: outcome.expiresAt, relayPath: '/relay' }, 201);
      if (outcome.reason === 'no_such_device') throw new ApiError('not_found', 'No such active device.');
      if (outcome.reason === 'group_permission_missing') throw new ApiError('forbidden', 'Your technician groups do not grant unattended_access on this device.', { code: outcome.reason });
      if (outcome.reason === 'credentials_locked') throw new ApiError('rate_limited', 'Too many wrong device credentials; try later.', { code: outcome.reason }, { 'Retry-After': String(outcome.retryAfterSeconds ?? 60) });
      throw new ApiError('policy_denied', outcome.decision?.reason ?? 'Refused by policy.', { code: outcome.decision?.code });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/devices/:id/revoke', tag: 'devices', summary: 'Revoke a device\'s unattended access for good (its key is never accepted again).', access: admins,
    body: z.object({ reason: z.string().trim().max(200).default('revoked by an admin') }).strict(),
    responses: { 200: '{ device }', 404: 'No such active device' },
    handler: async (c, { params, body, principal }) => {
      const services = c.get('services');
      const revoked = await revokeDevice(services, params.id!, { kind: 'admin', id: principal!.userId, email: principal!.email, ip: c.get('clientIp') }, body.reason);
      if (!revoked) throw new ApiError('not_found', 'No such active device.');
      return c.json({ device: toDeviceView((await findDevice(services.db, params.id!))!, services.clock.now()) });
    },
  }),
];
