import { enrolProofText } from '../../protocol/device-auth.js';
import type { Services } from '../http/env.js';
import { verifyDeviceSignature, sha256Hex } from './device-keys.js';
import { deactivateDevice, findDevice, insertDevice, openSessionsOfDevice, type DeviceSettings } from './devices.js';
import type { DeviceRow } from './tables.js';
import { consumeDeploymentToken } from './tokens.js';
import { endSupportSession } from '../sessions/end.js';

/** What a device sends to enrol with a deployment token. */
export interface TokenEnrolment {
  token: string;
  publicKey: string;
  /** Signature over enrolProofText(publicKey, sha256(token)): proves the device holds the private key. */
  proof: string;
  name: string;
  os: string;
  agentVersion: string;
  settings: DeviceSettings;
}

/** The device's answer: its id, the broker key to pin, and when its access ends. */
export interface EnrolResult {
  device: DeviceRow;
}

/**
 * Enrols a device with a deployment token: the proof of key possession is checked before the
 * token is spent, then one use is spent atomically. Every outcome is audited; a refusal says
 * only "refused" to the caller (the audit says why).
 */
export async function enrolWithToken(services: Services, input: TokenEnrolment, ip: string): Promise<DeviceRow | null> {
  const { db, clock, audit } = services;
  const now = clock.now();
  const refuse = async (reason: string, tokenId: string | null) => {
    await audit.record({ action: 'device.enrol', outcome: 'failure', ip, targetType: 'deployment_token', targetId: tokenId, details: { via: 'deployment_token', reason, name: input.name } });
    return null;
  };
  if (!verifyDeviceSignature(input.publicKey, enrolProofText(input.publicKey, sha256Hex(input.token)), input.proof)) return refuse('bad_proof', null);
  const spent = await consumeDeploymentToken(db, input.token, now);
  if (!spent.ok) return refuse(spent.reason, spent.tokenId);
  const token = spent.token;
  const device = await insertDevice(db, now, {
    publicKey: input.publicKey, groupId: token.group_id, name: input.name, os: input.os, agentVersion: input.agentVersion,
    expiresAt: token.access_days === null ? null : now + token.access_days * 86_400_000,
    consent: { via: 'deployment_token', tokenId: token.id, tokenLabel: token.label, approvedBy: token.created_by, at: now },
    settings: input.settings,
  });
  if (!device) return refuse('key_already_enrolled', token.id);
  await audit.record({
    action: 'device.enrol', outcome: 'success', ip, targetType: 'device', targetId: device.id,
    details: { via: 'deployment_token', tokenId: token.id, groupId: token.group_id, name: device.name, expiresAt: device.expires_at },
  });
  return device;
}

/** Who revokes: the device's owner (from the device), an admin, or the system (expiry). */
export interface Revoker {
  kind: 'owner' | 'admin' | 'system';
  id?: string;
  email?: string;
  ip?: string;
}

/**
 * Ends a device's unattended access for good (revoked, or expired when `expired`): its open
 * sessions end at once, pending starts are dropped, and its key is never accepted again.
 */
export async function revokeDevice(services: Services, deviceId: string, by: Revoker, reason: string, expired = false): Promise<boolean> {
  const { db, clock, audit } = services;
  const who = by.kind === 'admin' ? by.email ?? 'admin' : by.kind;
  const changed = await deactivateDevice(db, deviceId, clock.now(), expired ? 'expired' : 'revoked', who, reason);
  if (!changed) return false;
  for (const sessionId of await openSessionsOfDevice(db, deviceId)) {
    await endSupportSession(services, sessionId, by.kind === 'admin' ? 'admin' : by.kind === 'owner' ? 'customer' : 'system', expired ? 'unattended access expired' : 'unattended access revoked', { id: by.id, email: by.email ?? who, ip: by.ip });
  }
  await audit.record({
    action: expired ? 'device.expire' : 'device.revoke', outcome: 'success', actorId: by.id ?? null, actorEmail: by.email ?? who, ip: by.ip ?? null,
    targetType: 'device', targetId: deviceId, details: { by: by.kind, reason },
  });
  return true;
}

/** The device if it is active now; an active device past its expiry is expired on the spot. */
export async function activeDevice(services: Services, deviceId: string): Promise<DeviceRow | null> {
  const row = await findDevice(services.db, deviceId);
  if (!row || row.status !== 'active') return null;
  if (row.expires_at !== null && row.expires_at <= services.clock.now()) {
    await revokeDevice(services, row.id, { kind: 'system' }, 'the grant set at enrolment ran out', true);
    return null;
  }
  return row;
}
