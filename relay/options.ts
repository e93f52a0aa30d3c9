import { createPublicKey, type KeyObject } from 'node:crypto';
import type { TicketPayload } from './tickets.js';

/** Which side of a support session a socket belongs to. */
export type Role = TicketPayload['role'];

/** The pino-like logger the relay writes to: objects first, never payloads or tickets. */
export interface RelayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Hook points the relay's owner may listen to; a throwing hook is logged, never fatal. */
export interface RelayEvents {
  /** Both sides are connected; `resumed` when the session had been paired before. */
  onPaired?(sid: string, resumed: boolean): void;
  /** One side's socket closed (not replaced by a reconnect). */
  onLeft?(sid: string, role: Role): void;
  /** The session is gone from the relay (ended, idle, peer gone, shutdown). */
  onClosed?(sid: string, reason: string): void;
}

/** Options of createRelay(); only publicKey is required. */
export interface RelayOptions {
  /** The broker's Ed25519 public key (PEM or KeyObject) that join tickets are checked against. */
  publicKey: KeyObject | string;
  /** Clock for ticket expiry, idle and grace times (epoch ms). */
  now?: () => number;
  /** Ping interval; a socket that has not answered the previous ping is terminated. */
  heartbeatMs?: number;
  /** A session with no binary traffic for this long is closed on both sides. */
  idleTimeoutMs?: number;
  /** How long a new socket may take to send its ticket. */
  authTimeoutMs?: number;
  /** How long a half session waits for its other side to come back. */
  reconnectGraceMs?: number;
  /** A destination buffering more than this pauses its source (backpressure). */
  highWaterBytes?: number;
  /** Sessions the relay holds at once; a join for a new session beyond it is refused. */
  maxSessions?: number;
  /** Sockets that have not sent their ticket yet; upgrades beyond it get 503. */
  maxPendingSockets?: number;
  /** Used ticket ids remembered until they expire; when full, new tickets are refused (fail closed). */
  maxUsedTickets?: number;
  logger?: RelayLogger;
  events?: RelayEvents;
  /** Test only: sees every forwarded binary frame (the relay-blindness test). */
  tap?: (sid: string, from: Role, bytes: Uint8Array) => void;
}

/** Options after validation and defaults, compiled once at creation. */
export interface RelaySettings {
  publicKey: KeyObject;
  now: () => number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  authTimeoutMs: number;
  reconnectGraceMs: number;
  highWaterBytes: number;
  maxSessions: number;
  maxPendingSockets: number;
  maxUsedTickets: number;
  logger: RelayLogger;
  events: RelayEvents;
  tap: RelayOptions['tap'] | null;
}

const defaults = {
  heartbeatMs: 20_000,
  idleTimeoutMs: 30 * 60_000,
  authTimeoutMs: 5_000,
  reconnectGraceMs: 120_000,
  highWaterBytes: 4 * 1024 * 1024,
  maxSessions: 20_000,
  maxPendingSockets: 5_000,
  maxUsedTickets: 1_000_000,
};

const eventNames = new Set(['onPaired', 'onLeft', 'onClosed']);
const silent: RelayLogger = { info() {}, warn() {} };

/** Validates options and fills in defaults; a typo in a number or hook name fails here, not later. */
export function resolveOptions(options: RelayOptions): RelaySettings {
  const numbers = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof typeof defaults)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) throw new TypeError(`relay option ${key} must be a positive number`);
    numbers[key] = value;
  }
  const events = options.events ?? {};
  for (const name of Object.keys(events)) if (!eventNames.has(name)) throw new TypeError(`unknown relay event ${name}`);
  const publicKey = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('relay publicKey must be an Ed25519 public key');
  return { ...numbers, publicKey, now: options.now ?? Date.now, logger: options.logger ?? silent, events, tap: options.tap ?? null };
}
