/**
 * Flow control for screen updates, driven by the viewer's acknowledgements: at most
 * `maxInFlight` updates are unacknowledged, so a slow link never builds a queue (the next
 * capture simply waits and then carries every change since). Round-trip times steer JPEG
 * quality and the capture interval: rising delay means the link is full, so send less.
 */
export interface FlowOptions {
  maxInFlight: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  minQuality: number;
  maxQuality: number;
  /** An update unacknowledged this long is written off (the viewer went away). */
  staleMs: number;
}

export const defaultFlow: FlowOptions = { maxInFlight: 3, minIntervalMs: 25, maxIntervalMs: 500, minQuality: 30, maxQuality: 80, staleMs: 5_000 };

/** Acknowledgement bookkeeping and the quality/rate it implies. */
export class FlowControl {
  quality: number;
  intervalMs: number;
  /** Smoothed delivered bytes per second (acknowledged bytes over time). */
  bytesPerSecond = 0;
  private readonly inFlight = new Map<number, { sentAt: number; bytes: number }>();
  private baseRtt = Number.POSITIVE_INFINITY;
  private lastAckAt = 0;

  constructor(readonly options: FlowOptions = defaultFlow, private readonly now: () => number = () => performance.now()) {
    this.quality = Math.round((options.minQuality + options.maxQuality * 3) / 4);
    this.intervalMs = options.minIntervalMs;
  }

  /** Whether another update may go out now. */
  canSend(): boolean {
    const now = this.now();
    for (const [seq, entry] of this.inFlight) if (now - entry.sentAt > this.options.staleMs) this.inFlight.delete(seq);
    return this.inFlight.size < this.options.maxInFlight;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  sent(seq: number, bytes: number): void {
    this.inFlight.set(seq, { sentAt: this.now(), bytes });
  }

  /** An acknowledgement: adapts quality and interval to the round trip it took. */
  acked(seq: number): void {
    const entry = this.inFlight.get(seq);
    if (!entry) return;
    this.inFlight.delete(seq);
    const now = this.now();
    const rtt = now - entry.sentAt;
    this.baseRtt = Math.min(this.baseRtt, rtt);
    if (this.lastAckAt > 0) {
      const rate = (entry.bytes * 1000) / Math.max(1, now - this.lastAckAt);
      this.bytesPerSecond = this.bytesPerSecond === 0 ? rate : this.bytesPerSecond * 0.8 + rate * 0.2;
    }
    this.lastAckAt = now;
    if (rtt > this.baseRtt * 3 + 100) this.degrade();
    else if (rtt < this.baseRtt * 1.5 + 30) this.improve();
  }

  /** A capture was due but the window was full: the link is the bottleneck. */
  congested(): void {
    this.degrade();
  }

  /** Forgets what is in flight (new viewer, new screen). */
  reset(): void {
    this.inFlight.clear();
  }

  private degrade(): void {
    const { minQuality, maxIntervalMs } = this.options;
    this.quality = Math.max(minQuality, this.quality - 8);
    this.intervalMs = Math.min(maxIntervalMs, Math.round(this.intervalMs * 1.4));
  }

  private improve(): void {
    const { maxQuality, minIntervalMs } = this.options;
    this.quality = Math.min(maxQuality, this.quality + 2);
    this.intervalMs = Math.max(minIntervalMs, Math.round(this.intervalMs * 0.85));
  }
}
