import type { DB } from '../db/open.js';
import { newId } from '../support/secrets.js';
import type { DeviceRow } from './tables.js';

/** A device counts as online while it polled within this long. */
export const ONLINE_WINDOW_MS = 90_000;

/** Who agreed to unattended access on a device, and how. */
export type ConsentRecord =
  | { via: 'deployment_token'; tokenId: string; tokenLabel: string; approvedBy: string; at: number }
  | { via: 'session'; sessionId: string; technician: string; answeredBy: 'customer'; at: number };

/** The device's own settings, as it reports them. */
export interface DeviceSettings {
  askEveryStart?: boolean;
  askSeconds?: number;
}

/** A device as the API shows it (never its key material beyond the public key's fingerprint). */
export interface DeviceView {
  id: string;
  name: string;
  os: string;
  agentVersion: string;
  groupId: string;
  status: 'active' | 'revoked' | 'expired';
  online: boolean;
  lastSeenAt: number | null;
  ciId: string | null;
  consent: ConsentRecord;
  settings: DeviceSettings;
  enrolledAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** Row → API view at `now`. */
export function toDeviceView(row: DeviceRow, now: number): DeviceView {
  const status = row.status === 'active' && row.expires_at !== null && row.expires_at <= now ? 'expired' : (row.status as DeviceView['status']);
  return {
    id: row.id, name: row.name, os: row.os, agentVersion: row.agent_version, groupId: row.group_id, status,
    online: status === 'active' && row.last_seen_at !== null && now - row.last_seen_at < ONLINE_WINDOW_MS, lastSeenAt: row.last_seen_at, ciId: row.ci_id,
    consent: JSON.parse(row.consent) as ConsentRecord, settings: JSON.parse(row.settings) as DeviceSettings,
    enrolledAt: row.enrolled_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, revokedBy: row.revoked_by, revokeReason: row.revoke_reason,
  };
}

/** What an enrolment stores. */
export interface NewDevice {
  publicKey: string;
  groupId: string;
  name: string;
  os: string;
  agentVersion: string;
  expiresAt: number | null;
  consent: ConsentRecord;
  settings: DeviceSettings;
}

/** Stores a newly enrolled device; null when its public key is already known (a key enrols once). */
export async function insertDevice(db: DB, now: number, device: NewDevice): Promise<DeviceRow | null> {
  const known = await db.selectFrom('devices').select('id').where('public_key', '=', device.publicKey).executeTakeFirst();
  if (known) return null;
  const id = newId();
  await db.insertInto('devices').values({
    id, group_id: device.groupId, name: device.name, os: device.os, agent_version: device.agentVersion, public_key: device.publicKey, status: 'active',
    consent: JSON.stringify(device.consent), settings: JSON.stringify(device.settings), ci_id: null, enrolled_at: now, expires_at: device.expiresAt,
    last_seen_at: now, revoked_at: null, revoked_by: null, revoke_reason: null,
  }).execute();
  return findDevice(db, id);
}

/** One device by id. */
export async function findDevice(db: DB, id: string): Promise<DeviceRow | null> {
  return (await db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Filters of the device list. */
export interface DeviceFilter {
  /** Only devices of these groups (null: all, for admins). */
  groupIds: string[] | null;
  q?: string | undefined;
  status?: DeviceView['status'] | undefined;
  online?: boolean | undefined;
}

/** Devices matching the filter, by name. Search matches name, OS and id. */
export async function listDevices(db: DB, now: number, filter: DeviceFilter): Promise<DeviceView[]> {
  if (filter.groupIds?.length === 0) return [];
  let query = db.selectFrom('devices').selectAll().orderBy('name').limit(5000);
  if (filter.groupIds) query = query.where('group_id', 'in', filter.groupIds);
  const q = filter.q?.trim().toLowerCase();
  const views = (await query.execute()).map((row) => toDeviceView(row, now));
  return views.filter((d) => (!q || `${d.name}\n${d.os}\n${d.id}`.toLowerCase().includes(q))
    && (!filter.status || d.status === filter.status) && (filter.online === undefined || d.online === filter.online));
}

/**
 * Ends a device's unattended access for good: revoked or expired, never active again. Its
 * pending start requests go with it. False when it was not active.
 */
export async function deactivateDevice(db: DB, id: string, now: number, status: 'revoked' | 'expired', by: string, reason: string): Promise<boolean> {
  const result = await db.updateTable('devices').set({ status, revoked_at: now, revoked_by: by, revoke_reason: reason.slice(0, 200) })
    .where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
  await db.deleteFrom('unattended_starts').where('device_id', '=', id).execute();
  return Number(result.numUpdatedRows) === 1;
}

/** Accepts a signed request's timestamp only if later than the last one (a replay fails). */
export async function advanceRequestClock(db: DB, id: string, timestamp: number): Promise<boolean> {
  const result = await db.updateTable('devices').set({ last_request_at: timestamp }).where('id', '=', id).where('last_request_at', '<', timestamp).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Open support sessions started on a device. */
export async function openSessionsOfDevice(db: DB, deviceId: string): Promise<string[]> {
  const rows = await db.selectFrom('support_sessions').select('id').where('device_id', '=', deviceId).where('status', 'in', ['waiting', 'active']).execute();
  return rows.map((r) => r.id);
}
