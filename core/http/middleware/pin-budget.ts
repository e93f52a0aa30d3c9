import { RateLimiter } from './rate-limit.js';

/**
 * Where a PIN attempt comes from. Each lane has its own global budget, so an attacker who
 * floods the open PIN routes from many addresses uses up only the `public` budget: customers
 * on the company's hosted form (approved origin + signed form token) or in the company's
 * known ranges keep theirs.
 */
export type PinLane = 'public' | 'web-form' | 'trusted-range';

/** The lanes, in the order the counters are reported. */
export const pinLanes: readonly PinLane[] = ['public', 'web-form', 'trusted-range'];

/** Limits per minute: per client IP (not for trusted ranges, which are NATed offices) and per lane. */
export interface PinBudgetLimits {
  perIp: number;
  lanes: Record<PinLane, number>;
}

/** Counters of one lane since start (the metric the admin console and monitoring read). */
export interface PinLaneCounters {
  limitPerMinute: number;
  attempts: number;
  refusedPerIp: number;
  refusedBudget: number;
  /** Minutes (windows) in which the lane's budget ran out: each raised one alarm. */
  exhaustedWindows: number;
}

/** Why an attempt was refused and whether this refusal is the first of its kind in the window (then it is audited). */
export type PinBudgetVerdict =
  | { ok: true }
  | { ok: false; scope: 'ip' | 'lane'; waitSeconds: number; alarm: boolean };

const WINDOW_MS = 60_000;

/**
 * Per-IP and per-lane PIN budgets with counters. A refused attempt is never evaluated, so the
 * lanes' budgets bound how many PINs an attacker can try per minute in total. Alarms fire once
 * per window (per IP, per lane), so a flood cannot turn refusals into audit writes without bound.
 */
export class PinBudgets {
  private readonly perIp: RateLimiter;
  private readonly lanes: Record<PinLane, RateLimiter>;
  private readonly counters: Record<PinLane, PinLaneCounters>;
  private readonly alarmed = new Map<string, number>();

  constructor(private readonly limits: PinBudgetLimits, private readonly now: () => number) {
    this.perIp = new RateLimiter(limits.perIp, WINDOW_MS, now);
    this.lanes = Object.fromEntries(pinLanes.map((lane) => [lane, new RateLimiter(limits.lanes[lane], WINDOW_MS, now)])) as Record<PinLane, RateLimiter>;
    this.counters = Object.fromEntries(pinLanes.map((lane) => [lane, { limitPerMinute: limits.lanes[lane], attempts: 0, refusedPerIp: 0, refusedBudget: 0, exhaustedWindows: 0 }])) as Record<PinLane, PinLaneCounters>;
  }

  /** Counts an attempt that guesses a PIN; the lane's budget applies after the per-IP limit. */
  attempt(ip: string, lane: PinLane): PinBudgetVerdict {
    const counters = this.counters[lane];
    counters.attempts += 1;
    if (lane !== 'trusted-range') {
      const wait = this.perIp.hit(ip);
      if (wait > 0) {
        counters.refusedPerIp += 1;
        return { ok: false, scope: 'ip', waitSeconds: wait, alarm: this.firstInWindow(`ip:${ip}`) };
      }
    }
    const wait = this.lanes[lane].hit('*');
    if (wait === 0) return { ok: true };
    counters.refusedBudget += 1;
    const alarm = this.firstInWindow(`lane:${lane}`);
    if (alarm) counters.exhaustedWindows += 1;
    return { ok: false, scope: 'lane', waitSeconds: wait, alarm };
  }

  /**
   * Counts a request that presents a signed token (join code, channel link): it guesses no PIN,
   * so only the per-IP limit applies, never a global budget an attacker could use up.
   */
  tokenAttempt(ip: string): PinBudgetVerdict {
    const wait = this.perIp.hit(ip);
    return wait === 0 ? { ok: true } : { ok: false, scope: 'ip', waitSeconds: wait, alarm: this.firstInWindow(`ip:${ip}`) };
  }

  /** A copy of the counters per lane. */
  snapshot(): Record<PinLane, PinLaneCounters> {
    return Object.fromEntries(pinLanes.map((lane) => [lane, { ...this.counters[lane] }])) as Record<PinLane, PinLaneCounters>;
  }

  private firstInWindow(key: string): boolean {
    const window = Math.floor(this.now() / WINDOW_MS);
    if (this.alarmed.get(key) === window) return false;
    this.alarmed.delete(key);
    this.alarmed.set(key, window);
    // Bounded like the limiters: old keys go first (Map keeps insertion order).
    while (this.alarmed.size > 50_000) this.alarmed.delete(this.alarmed.keys().next().value!);
    return true;
  }
}
