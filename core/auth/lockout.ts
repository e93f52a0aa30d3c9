import type { DB } from '../db/open.js';
import type { UserRow } from '../db/schema.js';
import type { Clock } from '../support/clock.js';

/** Lockout rule: this many consecutive failures lock the account for this long. */
export interface LockoutRule {
  threshold: number;
  durationMs: number;
}

/**
 * Per-account lockout after consecutive failed logins. E-mails without an account get the same
 * treatment from an in-memory table, so "locked" never tells an attacker that an account exists.
 */
export class Lockout {
  private readonly phantom = new Map<string, { failures: number; lockedUntil: number | null }>();

  constructor(private readonly db: DB, private readonly clock: Clock, private readonly rule: LockoutRule, private readonly maxPhantoms = 10_000) {}

  /** Milliseconds the login is still locked, 0 when it is open. */
  remainingMs(email: string, user: UserRow | null): number {
    const lockedUntil = user ? user.locked_until : this.phantom.get(email)?.lockedUntil ?? null;
    return lockedUntil === null ? 0 : Math.max(0, lockedUntil - this.clock.now());
  }

  /** Counts a failure; returns how long the account is now locked (0 if this failure did not lock it). */
  async recordFailure(email: string, user: UserRow | null): Promise<number> {
    const now = this.clock.now();
    const current = user ? { failures: user.failed_logins, lockedUntil: user.locked_until } : this.phantom.get(email) ?? { failures: 0, lockedUntil: null };
    // A lock that has run out starts a fresh count.
    const failures = (current.lockedUntil !== null && current.lockedUntil <= now ? 0 : current.failures) + 1;
    const locks = failures >= this.rule.threshold;
    const next = { failures: locks ? 0 : failures, lockedUntil: locks ? now + this.rule.durationMs : null };
    if (user) {
      await this.db.updateTable('users').set({ failed_logins: next.failures, locked_until: next.lockedUntil }).where('id', '=', user.id).execute();
    } else {
      this.rememberPhantom(email, next);
    }
    return locks ? this.rule.durationMs : 0;
  }

  /** Clears the count after a successful login. */
  async recordSuccess(user: UserRow): Promise<void> {
    if (user.failed_logins !== 0 || user.locked_until !== null) {
      await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    }
  }

  private rememberPhantom(email: string, state: { failures: number; lockedUntil: number | null }): void {
    this.phantom.delete(email);
    this.phantom.set(email, state);
    if (this.phantom.size > this.maxPhantoms) {
      const oldest = this.phantom.keys().next().value;
      if (oldest !== undefined) this.phantom.delete(oldest);
    }
  }
}
