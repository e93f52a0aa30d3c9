import { loadBranding } from '../../core/branding/branding.js';
import type { PluginHost } from '../../core/policy/host.js';
import { looksLikeRecoveryCode, seal, unseal } from './crypto.js';
import { checkCode, newSecret, otpauthUri, qrDataUrl } from './otp.js';
import {
  BLOCK_MS, blockedForMs, claimStep, findEnrolment, recordFailure, replaceRecoveryCodes, resetFailures, savePending, useRecoveryCode, type Enrolment,
} from './store.js';

/** A pending enrolment as shown to its owner: the QR code, and the secret for typing in by hand. */
export interface EnrolmentOffer {
  secret: string;
  otpauthUri: string;
  qr: string;
}

/** How long a pending enrolment offered at login stays the same before a new secret is made. */
export const PENDING_REUSE_MS = 15 * 60_000;

/** What checking a second factor found; `why` is the stable reason the audit log and the UI show. */
export type FactorCheck =
  | { ok: true; via: 'totp' | 'recovery_code' }
  | { ok: false; why: 'malformed' | 'wrong' | 'replayed' }
  | { ok: false; why: 'blocked'; retryAfterSeconds: number };

/**
 * The TOTP state of accounts: sealed secrets, code checks with replay protection, recovery
 * codes. Routes and the login hook both go through it, so the rules live in one place.
 */
export class TotpService {
  private readonly key: Buffer;

  constructor(private readonly host: PluginHost) {
    this.key = host.deriveKey('rescuebox/totp/secret-seal/v1');
  }

  /** The account's enrolment (pending or confirmed), or null. */
  enrolment(userId: string): Promise<Enrolment | null> {
    return findEnrolment(this.host.db, userId);
  }

  /**
   * Starts a pending enrolment with a fresh secret (replacing an older pending one). A
   * confirmed enrolment is left alone; null then.
   */
  async startEnrolment(userId: string, email: string): Promise<EnrolmentOffer | null> {
    const secret = newSecret();
    if (!(await savePending(this.host.db, userId, seal(this.key, secret, userId), this.host.clock.now()))) return null;
    return this.offer(secret, email);
  }

  /** The pending enrolment offered at login: the same one while it is recent, so a scanned QR stays valid. */
  async pendingForLogin(userId: string, email: string, now: number): Promise<EnrolmentOffer | null> {
    const existing = await this.enrolment(userId);
    if (existing && existing.confirmedAt === null && now - existing.createdAt < PENDING_REUSE_MS) {
      return this.offer(this.secretOf(existing), email);
    }
    return this.startEnrolment(userId, email);
  }

  /** The otpauth URI and QR code of a secret; the issuer is the company name of the branding. */
  async offer(secret: string, email: string): Promise<EnrolmentOffer> {
    const issuer = (await loadBranding(this.host.db)).companyName.trim() || 'RescueBox';
    const uri = otpauthUri(issuer, email, secret);
    return { secret, otpauthUri: uri, qr: await qrDataUrl(uri) };
  }

  /** The clear secret of an enrolment (throws if the row was tampered with). */
  secretOf(enrolment: Enrolment): string {
    return unseal(this.key, enrolment.secretSealed, enrolment.userId);
  }

  /**
   * Checks a second factor at `at`: a 6-digit TOTP code, or (when `allowRecovery` and shaped like
   * one) a recovery code. Unless `dryRun`: an accepted code's step is claimed so it never works
   * again, a pending enrolment becomes confirmed, a used recovery code is spent, and wrong codes
   * are counted (MAX_FAILURES in a row block codes for a while, against guessing).
   */
  async verify(enrolment: Enrolment, code: string, at: number, options: { dryRun: boolean; allowRecovery: boolean }): Promise<FactorCheck> {
    const { db, clock } = this.host;
    const now = clock.now();
    const blockedMs = await blockedForMs(db, enrolment.userId, now);
    if (blockedMs > 0) return { ok: false, why: 'blocked', retryAfterSeconds: Math.ceil(blockedMs / 1000) };
    const found = await this.check(enrolment, code.trim(), at, options);
    if (options.dryRun) return found;
    if (found.ok) await resetFailures(db, enrolment.userId);
    else if (found.why !== 'malformed' && (await recordFailure(db, enrolment.userId, now))) {
      return { ok: false, why: 'blocked', retryAfterSeconds: BLOCK_MS / 1000 };
    }
    return found;
  }

  private async check(enrolment: Enrolment, code: string, at: number, options: { dryRun: boolean; allowRecovery: boolean }): Promise<FactorCheck> {
    if (options.allowRecovery && enrolment.confirmedAt !== null && looksLikeRecoveryCode(code)) {
      const used = await useRecoveryCode(this.host.db, enrolment.userId, code, this.host.clock.now(), options.dryRun);
      return used ? { ok: true, via: 'recovery_code' } : { ok: false, why: 'wrong' };
    }
    const found = checkCode(this.secretOf(enrolment), code, at, enrolment.lastStep);
    if (!found.ok) return found;
    if (options.dryRun) return { ok: true, via: 'totp' };
    const confirmAt = enrolment.confirmedAt === null ? this.host.clock.now() : null;
    return (await claimStep(this.host.db, enrolment.userId, found.step, confirmAt)) ? { ok: true, via: 'totp' } : { ok: false, why: 'replayed' };
  }

  /** New recovery codes for an account (the old ones stop working); shown to the user once. */
  newRecoveryCodes(userId: string): Promise<string[]> {
    return replaceRecoveryCodes(this.host.db, userId, this.host.clock.now());
  }
}
