import type { DB } from '../../db/open.js';
import type { AuditRow } from '../../db/schema.js';
import type { Logger } from '../../support/logger.js';
import { formatJsonLine } from './json-line.js';
import { formatRfc5424, frameOctetCounted, localOrigin } from './rfc5424.js';
import { openSink, type Sink } from './sinks.js';

/** One forwarding target: a name for its cursor, the wire format and where it goes. */
export interface ForwardTarget {
  name: string;
  format: 'rfc5424' | 'json';
  url: string;
  ca?: string;
}

/** Tunables; tests shorten the poll. */
export interface ForwarderOptions {
  pollMs?: number;
  batch?: number;
  maxBackoffMs?: number;
}

/**
 * Sends every audit entry, in order, to each target. Each target keeps a cursor (last sent
 * seq) in the database and only moves it after the bytes were handed over, so an outage or a
 * restart resends instead of losing entries (at least once). It wakes on each new entry of
 * this process and polls for entries written by others (the CLI, other replicas).
 */
export class AuditForwarder {
  private readonly pumps: TargetPump[];
  private timer: NodeJS.Timeout | null = null;

  constructor(db: DB, logger: Logger, targets: ForwardTarget[], private readonly options: ForwarderOptions = {}) {
    this.pumps = targets.map((target) => new TargetPump(db, logger, target, options));
  }

  /** Starts polling; returns the function that stops it and closes the connections. */
  start(): () => void {
    this.wake();
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 5_000);
    this.timer.unref();
    return () => this.stop();
  }

  /** Asks every target to send what is new (called after each recorded entry). */
  wake(): void {
    for (const pump of this.pumps) pump.kick();
  }

  /** Sends everything pending now; resolves when each target is up to date or failed once. */
  async flush(): Promise<void> {
    await Promise.all(this.pumps.map((pump) => pump.drain()));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const pump of this.pumps) pump.close();
  }
}

class TargetPump {
  private readonly sink: Sink;
  private running: Promise<void> | null = null;
  private again = false;
  private retryAt = 0;
  private backoffMs = 0;
  private readonly origin = localOrigin();

  constructor(private readonly db: DB, private readonly logger: Logger, private readonly target: ForwardTarget, private readonly options: ForwarderOptions) {
    this.sink = openSink({ url: target.url, ...(target.ca && { ca: target.ca }) });
  }

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (Date.now() < this.retryAt) return;
    void this.drain();
  }

  drain(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
    return this.running;
  }

  close(): void {
    this.sink.close();
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const after = await this.cursor();
        const rows = await this.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(this.options.batch ?? 200).execute();
        if (rows.length === 0) break;
        for (const row of rows) {
          await this.sink.write(this.encode(row));
          await this.advance(row.seq);
        }
      }
      this.backoffMs = 0;
      this.retryAt = 0;
    } catch (error) {
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 500), this.options.maxBackoffMs ?? 30_000);
      this.retryAt = Date.now() + this.backoffMs;
      this.logger.warn({ err: error, target: this.target.name, retryInMs: this.backoffMs }, 'audit forwarding failed; will resend from the last delivered entry');
    }
  }

  private encode(row: AuditRow): Buffer {
    if (this.target.format === 'json') return Buffer.from(formatJsonLine(row), 'utf8');
    return frameOctetCounted(formatRfc5424(row, this.origin));
  }

  private async cursor(): Promise<number> {
    const row = await this.db.selectFrom('audit_forward_cursors').select('last_seq').where('target', '=', this.target.name).executeTakeFirst();
    return row ? Number(row.last_seq) : 0;
  }

  private async advance(seq: number): Promise<void> {
    const updated = await this.db.updateTable('audit_forward_cursors').set({ last_seq: seq }).where('target', '=', this.target.name).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('audit_forward_cursors').values({ target: this.target.name, last_seq: seq }).execute();
  }
}
