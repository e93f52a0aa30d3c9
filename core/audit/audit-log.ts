import { createHash } from 'node:crypto';
import type { DB } from '../db/open.js';
import type { AuditRow } from '../db/schema.js';
import type { Clock } from '../support/clock.js';

/** One security event as callers describe it. */
export interface AuditEvent {
  action: string;
  outcome: 'success' | 'failure' | 'denied' | 'allow' | 'deny' | 'challenge' | 'info';
  actorId?: string | null;
  actorEmail?: string | null;
  ip?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** The hash that starts the chain: the first entry's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

type HashedFields = Omit<AuditRow, 'seq' | 'hash'>;

/**
 * The hash of an entry covers every field and the previous entry's hash, so changing,
 * removing or reordering any stored entry breaks every hash after it.
 */
export function entryHash(fields: HashedFields): string {
  const canonical = JSON.stringify([
    fields.prev_hash, fields.at, fields.action, fields.outcome, fields.actor_id, fields.actor_email,
    fields.ip, fields.target_type, fields.target_id, fields.details,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Append-only, hash-chained audit log of every security event. */
export class AuditLog {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: DB, private readonly clock: Clock) {}

  /** Calls `listener` after each committed entry (the forwarder wakes on it); returns the unsubscribe. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Appends one event; the read of the last hash and the insert happen in one transaction. */
  async record(event: AuditEvent): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const fields: HashedFields = {
        prev_hash: last?.hash ?? GENESIS_HASH,
        at: this.clock.now(),
        action: event.action,
        outcome: event.outcome,
        actor_id: event.actorId ?? null,
        actor_email: event.actorEmail ?? null,
        ip: event.ip ?? null,
        target_type: event.targetType ?? null,
        target_id: event.targetId ?? null,
        details: JSON.stringify(event.details ?? {}),
      };
      await trx.insertInto('audit_log').values({ ...fields, hash: entryHash(fields) }).execute();
    });
    for (const listener of this.listeners) listener();
  }
}
