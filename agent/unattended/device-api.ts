import type { KeyObject } from 'node:crypto';
import { deviceRequestText, enrolProofText } from '../../protocol/device-auth.js';
import type { CustomerEvent } from '../../protocol/customer-api.js';
import { BrokerError, expectOk, type JsonClient, type JsonResponse } from '../net/http.js';
import { sha256Hex, signWithDeviceKey } from './device-state.js';

/** The broker refused the device itself: its access was revoked or has expired. */
export class DeviceGone extends Error {
  override name = 'DeviceGone';
  constructor(readonly status: 'revoked' | 'expired') {
    super(`This device's unattended access is ${status}.`);
  }
}

/** What the device reports for the audit log besides the customer events of a session. */
export type DeviceEvent =
  | { event: 'credentials'; sessionId: string; outcome: 'accepted' | 'rejected' | 'locked'; user: string }
  | { event: 'owner'; sessionId: string; decision: 'allowed' | 'refused' | 'timeout' | 'ended' }
  | { event: 'start'; sessionId: string; outcome: 'accepted' | 'refused'; reason: string }
  | (CustomerEvent & { sessionId: string });

/** Enrols with a deployment token: proves the key, gets the device id and the broker key to pin. */
export async function enrolWithToken(http: JsonClient, token: string, keys: { privateKey: KeyObject; publicKey: string }, facts: { name: string; os: string; agentVersion: string }): Promise<{ deviceId: string; brokerKey: string; expiresAt: number | null }> {
  const proof = signWithDeviceKey(keys.privateKey, enrolProofText(keys.publicKey, sha256Hex(token)));
  const body = expectOk(await http.post('/api/v1/devices/enrol', { token, publicKey: keys.publicKey, proof, ...facts })) as Record<string, unknown>;
  if (typeof body?.deviceId !== 'string' || typeof body.brokerKey !== 'string') throw new BrokerError(502, 'bad_response', 'The server did not enrol this device.');
  return { deviceId: body.deviceId, brokerKey: body.brokerKey, expiresAt: typeof body.expiresAt === 'number' ? body.expiresAt : null };
}

/**
 * The broker's device API: every request signed with the device key over method, path, time
 * and body; times strictly rise (the broker refuses a replay). `now()` is the broker's clock.
 */
export class DeviceApi {
  private last = 0;
  private clockOffset = 0;

  constructor(private readonly http: JsonClient, private readonly deviceId: string, private readonly privateKey: KeyObject) {}

  /** Says the device is online, reports its settings; answers a pending signed start request. */
  async poll(facts: { agentVersion: string; os: string }): Promise<string | null> {
    const body = await this.call('/api/v1/device/poll', facts) as { start?: unknown; serverTime?: unknown };
    if (typeof body?.serverTime === 'number') this.clockOffset = body.serverTime - Date.now();
    return typeof body?.start === 'string' ? body.start : null;
  }

  /** A relay ticket for one of this device's sessions. */
  async ticket(sessionId: string): Promise<string> {
    const body = await this.call('/api/v1/device/ticket', { sessionId }) as { ticket?: unknown };
    if (typeof body?.ticket !== 'string') throw new BrokerError(502, 'bad_response', 'The server sent no ticket.');
    return body.ticket;
  }

  /** Reports an event for the audit log. */
  async report(event: DeviceEvent): Promise<void> {
    await this.call('/api/v1/device/events', event);
  }

  /** Ends a session at the broker. */
  async end(sessionId: string, reason: string): Promise<void> {
    await this.call('/api/v1/device/end', { sessionId, reason: reason.slice(0, 200) });
  }

  /** Tells the broker the owner revoked unattended access here. */
  async revoke(reason: string): Promise<void> {
    await this.call('/api/v1/device/revoke', { reason: reason.slice(0, 200) });
  }

  /** The broker's time (epoch ms), from its last poll answer. */
  now(): number {
    return Date.now() + this.clockOffset;
  }

  private async call(path: string, body: object): Promise<unknown> {
    this.last = Math.max(Date.now() + this.clockOffset, this.last + 1);
    const text = JSON.stringify(body);
    const signature = signWithDeviceKey(this.privateKey, deviceRequestText('POST', path, this.last, sha256Hex(text)));
    return this.expectDeviceOk(await this.http.post(path, body, { authorization: `Device ${this.deviceId}.${this.last}.${signature}` }));
  }

  private expectDeviceOk(response: JsonResponse): unknown {
    const gone = (response.body as { device?: unknown } | null)?.device;
    if (response.status === 401 && (gone === 'revoked' || gone === 'expired')) throw new DeviceGone(gone);
    return expectOk(response);
  }
}
