import type { KeyObject } from 'node:crypto';
import type { Config } from '../../config/schema.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CheckpointKey } from '../audit/checkpoints.js';
import type { Lockout } from '../auth/lockout.js';
import type { Role } from '../auth/roles.js';
import type { DB } from '../db/open.js';
import type { Vault } from '../secrets/vault.js';
import type { SupportSessionRow } from '../db/schema.js';
import type { DeviceRow } from '../devices/tables.js';
import type { PolicyPipeline } from '../policy/pipeline.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { PinBudgets } from './middleware/pin-budget.js';
import type { RateLimiter } from './middleware/rate-limit.js';

/** Everything a route handler may use, built once at start and shared by all requests. */
export interface Services {
  config: Config;
  db: DB;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  pipeline: PolicyPipeline;
  /** Seals and opens secrets at rest under the master key (core/secrets/vault.ts). */
  vault: Vault;
  /** Ed25519 key that signs checkpoints of the audit chain head. */
  checkpointKey: CheckpointKey;
  /** Key for deriving CSRF tokens from session ids; kept sealed in the database so restarts keep sessions. */
  csrfKey: Buffer;
  loginLimiter: RateLimiter;
  lockout: Lockout;
  /** Ed25519 key that signs relay join tickets and permission grants; agents and the relay get the public half. */
  signing: { privateKey: KeyObject; publicPem: string };
  /** HMAC key for PIN digests (PINs are never stored in clear). */
  pinKey: Buffer;
  /** PIN attempt budgets: per IP, and per lane (open routes, hosted form, known ranges). */
  pinBudgets: PinBudgets;
  /** Whether a client IP lies in the company's known ranges (PIN_TRUSTED_RANGES): such PINs use their own budget. */
  pinTrusted: (ip: string) => boolean;
  /** SHA-256 of the TLS certificate (hex), baked into agent downloads; null without TLS. */
  tlsFingerprint: string | null;
  /** The relay, when it runs in this process: the broker closes sessions on it. */
  relay: RelayControl | null;
  /** One-time setup token while no admin exists; null once set up. */
  setup: { token: string | null };
}

/** What the broker needs from the relay. */
export interface RelayControl {
  closeSession(sessionId: string, reason: string): void;
}

/** Who is calling: an account, and whether via login session cookie or personal API token. */
export interface Principal {
  userId: string;
  email: string;
  role: Role;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
}

/** Hono's environment type for this app. */
export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal | null;
    agentSession: SupportSessionRow | null;
    /** The enrolled device whose signed request this is (device routes only). */
    device: DeviceRow | null;
    clientIp: string;
  };
}
