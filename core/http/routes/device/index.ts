import { z } from 'zod';
import { revokeDevice } from '../../../devices/service.js';
import { countCredentialOutcome, takeStartRequest, unattendedFacts } from '../../../devices/unattended.js';
import type { DeviceRow } from '../../../devices/tables.js';
import { endSupportSession } from '../../../sessions/end.js';
import { issueTicket } from '../../../sessions/tickets.js';
import type { Services } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';

const device = { device: true } as const;
const sessionId = z.string().min(1).max(64);

const pollBody = z.object({
  agentVersion: z.string().max(50),
  os: z.string().max(255).optional(),
  settings: z.object({ askEveryStart: z.boolean().optional(), askSeconds: z.number().int().min(5).max(600).optional() }).strict().optional(),
}).strict();

const eventBody = z.discriminatedUnion('event', [
  // The OS credential check on the device: the user name tried, never a password.
  z.object({ event: z.literal('credentials'), sessionId, outcome: z.enum(['accepted', 'rejected', 'locked']), user: z.string().max(64) }).strict(),
  // What the person at the device decided about a start (ask-every-start), or that they ended it.
  z.object({ event: z.literal('owner'), sessionId, decision: z.enum(['allowed', 'refused', 'timeout', 'ended']) }).strict(),
  z.object({ event: z.literal('start'), sessionId, outcome: z.enum(['accepted', 'refused']), reason: z.string().max(100) }).strict(),
  // What happened inside the session, as an attended agent reports it (see routes/agent).
  z.object({ event: z.literal('consent'), sessionId, capability: z.string().max(50), granted: z.boolean(), requestId: z.string().max(64) }).strict(),
  z.object({
    event: z.literal('file'), sessionId, direction: z.enum(['to_customer', 'from_customer']), name: z.string().max(255), size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/), outcome: z.enum(['delivered', 'refused', 'failed']),
  }).strict(),
  z.object({ event: z.literal('capability.stopped'), sessionId, capability: z.string().max(50) }).strict(),
  z.object({
    event: z.literal('screen'), sessionId, action: z.enum(['view.start', 'view.stop', 'control.start', 'control.stop', 'control.paused', 'control.resumed']),
    by: z.enum(['customer', 'technician', 'system']),
  }).strict(),
]);

type DeviceEventBody = z.output<typeof eventBody>;

/** Audit action and outcome of a device event. */
function auditOf(body: DeviceEventBody): { action: string; outcome: 'success' | 'failure' | 'allow' | 'deny' | 'denied' | 'info' } {
  switch (body.event) {
    case 'credentials': return { action: 'unattended.credentials', outcome: body.outcome === 'accepted' ? 'success' : 'failure' };
    case 'owner': return { action: 'unattended.owner', outcome: body.decision === 'allowed' ? 'allow' : body.decision === 'ended' ? 'info' : 'deny' };
    case 'start': return { action: 'unattended.device_start', outcome: body.outcome === 'accepted' ? 'success' : 'denied' };
    case 'consent': return { action: 'permission.consent', outcome: body.granted ? 'allow' : 'deny' };
    case 'file': return { action: 'file.transfer', outcome: body.outcome === 'delivered' ? 'success' : 'failure' };
    case 'capability.stopped': return { action: 'permission.stopped', outcome: 'info' };
    case 'screen': return { action: `screen.${body.action}`, outcome: 'info' };
  }
}

/** The device's own live session, or 404. */
async function ownSession(services: Services, row: DeviceRow, id: string): Promise<string> {
  const session = await services.db.selectFrom('support_sessions').select(['id', 'status']).where('id', '=', id).where('device_id', '=', row.id).executeTakeFirst();
  if (!session || session.status !== 'active') throw new ApiError('not_found', 'No such live session on this device.');
  return session.id;
}

/** Calls of an enrolled device, each signed with its own key (see protocol/device-auth.ts). */
export const deviceRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/device/poll', tag: 'device', summary: 'The device says it is online and fetches a pending signed start request (handed out once).', access: device, body: pollBody,
    responses: { 200: '{ start, serverTime }' },
    handler: async (c, { body, device: row }) => {
      const services = c.get('services');
      const now = services.clock.now();
      await services.db.updateTable('devices').set({
        last_seen_at: now, agent_version: body.agentVersion, ...(body.os && { os: body.os }), ...(body.settings && { settings: JSON.stringify(body.settings) }),
      }).where('id', '=', row!.id).execute();
      return c.json({ start: await takeStartRequest(services, row!.id), serverTime: now });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/device/ticket', tag: 'device', summary: 'A relay ticket for the device\'s side of one of its unattended sessions (agentConnect policy asked).', access: device,
    body: z.object({ sessionId }).strict(),
    responses: { 200: '{ ticket, expiresAt }', 403: 'policy_denied', 404: 'Not this device\'s live session' },
    handler: async (c, { body, device: row }) => {
      const services = c.get('services');
      const id = await ownSession(services, row!, body.sessionId);
      const decision = await services.pipeline.decide('agentConnect', {
        ip: c.get('clientIp'), at: services.clock.now(), actor: null, sessionId: id, channel: 'unattended', facts: {}, agentVersion: row!.agent_version, hostname: row!.name, unattended: unattendedFacts(row!),
      }, { type: 'support_session', id });
      if (decision.outcome !== 'allow') throw new ApiError('policy_denied', decision.reason ?? 'Refused by policy.', { code: decision.code });
      await services.audit.record({ action: 'agent.connect', outcome: 'success', ip: c.get('clientIp'), targetType: 'support_session', targetId: id, details: { deviceId: row!.id, unattended: true } });
      return c.json(issueTicket(services, id, 'customer'));
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/device/events', tag: 'device', summary: 'The device reports credential checks and its owner\'s decisions, for the audit log (wrong credentials count toward a lockout).', access: device, body: eventBody,
    responses: { 204: 'Recorded', 404: 'Not this device\'s session' },
    handler: async (c, { body, device: row }) => {
      const services = c.get('services');
      const id = await ownSession(services, row!, body.sessionId).catch(() => body.sessionId);
      const { action, outcome } = auditOf(body);
      const { event: _event, sessionId: _sid, ...details } = body;
      const session = ['credentials', 'owner', 'start'].includes(body.event) ? null : id;
      await services.audit.record({
        action, outcome, ip: c.get('clientIp'), actorEmail: 'device', targetType: session ? 'support_session' : 'device', targetId: session ?? row!.id, details: { ...details, sessionId: id, deviceId: row!.id },
      });
      if (body.event === 'credentials' && body.outcome !== 'locked') await countCredentialOutcome(services, row!, body.outcome === 'accepted');
      if ((body.event === 'owner' && body.decision !== 'allowed') || (body.event === 'start' && body.outcome === 'refused')) {
        await endSupportSession(services, id, 'customer', body.event === 'owner' ? `the device's owner: ${body.decision}` : `the device refused: ${body.reason}`, { email: 'device', ip: c.get('clientIp') });
      }
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/device/end', tag: 'device', summary: 'The device ends one of its unattended sessions.', access: device,
    body: z.object({ sessionId, reason: z.string().max(200).default('ended on the device') }).strict(),
    responses: { 204: 'Ended', 404: 'Not this device\'s live session' },
    handler: async (c, { body, device: row }) => {
      const services = c.get('services');
      await endSupportSession(services, await ownSession(services, row!, body.sessionId), 'customer', body.reason, { email: 'device', ip: c.get('clientIp') });
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/device/revoke', tag: 'device', summary: 'The device\'s owner revoked unattended access locally: the key is never accepted again.', access: device,
    body: z.object({ reason: z.string().max(200).default('revoked on the device') }).strict(),
    responses: { 204: 'Revoked' },
    handler: async (c, { body, device: row }) => {
      await revokeDevice(c.get('services'), row!.id, { kind: 'owner', email: 'device owner', ip: c.get('clientIp') }, body.reason);
      return c.body(null, 204);
    },
  }),
];
