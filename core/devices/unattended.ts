import { getUser } from '../accounts/users.js';
import { signToken } from '../../relay/tickets.js';
import type { StartRequest } from '../../protocol/device-auth.js';
import type { Services } from '../http/env.js';
import type { AccountFacts, Decision, UnattendedFacts } from '../policy/types.js';
import { hashToken, newId, newToken } from '../support/secrets.js';
import { issueTicket } from '../sessions/tickets.js';
import { activeDevice } from './service.js';
import type { DeviceRow } from './tables.js';

/** How long a signed start request waits for its device. */
export const START_TTL_MS = 60_000;
/** Wrong device credentials allowed per device in CREDENTIAL_WINDOW_MS before starts are refused. */
export const CREDENTIAL_FAILURE_LIMIT = 5;
export const CREDENTIAL_WINDOW_MS = 15 * 60_000;

/** Why an unattended start was refused (stable keys; the UI translates them). */
export type StartRefusal = 'no_such_device' | 'group_permission_missing' | 'credentials_locked' | 'policy_denied';

/** The outcome of asking to start an unattended session. */
export type StartOutcome =
  | { ok: true; sessionId: string; secret: string; ticket: string; expiresAt: number }
  | { ok: false; reason: StartRefusal; decision?: Decision; retryAfterSeconds?: number };

/** The unattended facts policies get for a device. */
export function unattendedFacts(device: DeviceRow): UnattendedFacts {
  return { deviceId: device.id, deviceName: device.name, groupId: device.group_id, ciId: device.ci_id };
}

/** Whether the account is in the device's group and that group grants unattended_access. */
export async function mayReachDevice(services: Services, userId: string, device: DeviceRow): Promise<boolean> {
  const member = await services.db.selectFrom('user_groups').innerJoin('group_permissions', 'group_permissions.group_id', 'user_groups.group_id')
    .select('user_groups.group_id').where('user_groups.user_id', '=', userId).where('user_groups.group_id', '=', device.group_id)
    .where('group_permissions.permission', '=', 'unattended_access').executeTakeFirst();
  return member !== undefined;
}

/** Runs agentConnect then permissionRequest (unattended_access) with the unattended flag; the first refusal wins. */
async function askPolicies(services: Services, technician: AccountFacts, device: DeviceRow, sessionId: string, ip: string): Promise<Decision> {
  const base = { ip, at: services.clock.now(), actor: technician, sessionId, channel: 'unattended', facts: {}, unattended: unattendedFacts(device) };
  const target = { type: 'device', id: device.id };
  const connect = await services.pipeline.decide('agentConnect', { ...base, agentVersion: device.agent_version, hostname: device.name }, target);
  if (connect.outcome !== 'allow') return connect;
  return services.pipeline.decide('permissionRequest', { ...base, technician, permission: 'unattended_access' }, target);
}

/**
 * A technician asks to start an unattended session: group permission, the device's credential
 * lockout and the policies decide; then the broker opens a session bound to the device and
 * queues a signed start request for it. The session's handshake secret goes to the technician
 * and, inside the signed request, to the device only.
 */
export async function startUnattended(services: Services, actor: { userId: string; email: string; ip: string }, deviceId: string): Promise<StartOutcome> {
  const { db, clock, audit } = services;
  const device = await activeDevice(services, deviceId);
  const user = await getUser(db, actor.userId);
  const record = (outcome: 'allow' | 'deny', reason: string, sessionId: string | null = null) => audit.record({
    action: 'unattended.start', outcome, actorId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'device', targetId: deviceId, details: { reason, sessionId },
  });
  if (!device || !user) {
    await record('deny', 'no_such_device');
    return { ok: false, reason: 'no_such_device' };
  }
  if (!(await mayReachDevice(services, actor.userId, device))) {
    await record('deny', 'group_permission_missing');
    return { ok: false, reason: 'group_permission_missing' };
  }
  const now = clock.now();
  if (device.credential_failures >= CREDENTIAL_FAILURE_LIMIT && now - device.credential_window_start < CREDENTIAL_WINDOW_MS) {
    await record('deny', 'credentials_locked');
    return { ok: false, reason: 'credentials_locked', retryAfterSeconds: Math.ceil((device.credential_window_start + CREDENTIAL_WINDOW_MS - now) / 1000) };
  }
  const sessionId = newId();
  const technician: AccountFacts = { id: user.id, email: user.email, role: user.role, groups: user.groups };
  const decision = await askPolicies(services, technician, device, sessionId, actor.ip);
  if (decision.outcome !== 'allow') {
    await record('deny', decision.code ?? 'policy');
    return { ok: false, reason: 'policy_denied', decision };
  }
  const secret = newToken();
  const payload: StartRequest = {
    v: 1, kind: 'unattended.start', did: device.id, sid: sessionId, secret, technician: { email: user.email, displayName: user.displayName }, jti: newId(), exp: now + START_TTL_MS,
  };
  await db.insertInto('support_sessions').values({
    // No PIN: the digest is of a random value nobody knows, so no PIN ever redeems this session.
    id: sessionId, technician_id: user.id, pin_digest: hashToken(newToken()), status: 'active', channel: 'unattended', created_at: now, pin_expires_at: now + START_TTL_MS,
    redeemed_at: now, redeemed_ip: null, agent_token_hash: null, customer_info: JSON.stringify({ hostname: device.name, os: device.os, agentVersion: device.agent_version, client: 'agent', unattended: true }),
    ended_at: null, ended_by: null, end_reason: null, pin_channel: null, device_id: device.id,
  }).execute();
  await db.insertInto('unattended_starts').values({ session_id: sessionId, device_id: device.id, request: signToken(payload, services.signing.privateKey), expires_at: payload.exp }).execute();
  await record('allow', 'queued_for_device', sessionId);
  const { ticket, expiresAt } = issueTicket(services, sessionId, 'technician');
  return { ok: true, sessionId, secret, ticket, expiresAt };
}

/** Hands a device its oldest pending, unexpired start request, once (it is deleted as it is handed out). */
export async function takeStartRequest(services: Services, deviceId: string): Promise<string | null> {
  const { db, clock } = services;
  await db.deleteFrom('unattended_starts').where('expires_at', '<=', clock.now()).execute();
  const row = await db.selectFrom('unattended_starts').selectAll().where('device_id', '=', deviceId).orderBy('expires_at').limit(1).executeTakeFirst();
  if (!row) return null;
  const taken = await db.deleteFrom('unattended_starts').where('session_id', '=', row.session_id).executeTakeFirst();
  return Number(taken.numDeletedRows) === 1 ? row.request : null;
}

/** Counts a wrong device credential (window of CREDENTIAL_WINDOW_MS), or clears the count after a right one. */
export async function countCredentialOutcome(services: Services, device: DeviceRow, accepted: boolean): Promise<void> {
  const now = services.clock.now();
  if (accepted) {
    await services.db.updateTable('devices').set({ credential_failures: 0, credential_window_start: 0 }).where('id', '=', device.id).execute();
    return;
  }
  const fresh = now - device.credential_window_start >= CREDENTIAL_WINDOW_MS;
  await services.db.updateTable('devices').set((eb) => ({
    credential_failures: fresh ? 1 : eb('credential_failures', '+', 1),
    credential_window_start: fresh ? now : device.credential_window_start,
  })).where('id', '=', device.id).execute();
}
