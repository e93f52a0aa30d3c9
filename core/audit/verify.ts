import type { KeyObject } from 'node:crypto';
import type { DB } from '../db/open.js';
import { GENESIS_HASH, entryHash } from './audit-log.js';
import { checkpointSignatureValid, listCheckpoints, type Checkpoint } from './checkpoints.js';

/** Result of checking the audit chain: ok, or the first entry where it breaks and why. */
export type ChainReport =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; problem: string };

const PAGE = 1000;

/** Walks the whole audit log in order and recomputes every hash link. */
export async function verifyAuditChain(db: DB): Promise<ChainReport> {
  let expectedPrev = GENESIS_HASH;
  let lastSeq = 0;
  let entries = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', lastSeq).orderBy('seq').limit(PAGE).execute();
    for (const row of rows) {
      entries += 1;
      if (row.prev_hash !== expectedPrev) {
        return { ok: false, entries, brokenAt: row.seq, problem: 'previous-hash link does not match (an entry was removed or reordered)' };
      }
      const { seq: _seq, hash, ...fields } = row;
      if (entryHash(fields) !== hash) {
        return { ok: false, entries, brokenAt: row.seq, problem: 'entry content does not match its hash (the entry was altered)' };
      }
      expectedPrev = hash;
      lastSeq = row.seq;
    }
    if (rows.length < PAGE) return { ok: true, entries };
  }
}

/**
 * The chain check plus the signed checkpoints: each checkpoint's signature must hold under the
 * public key, and the entry it names must still exist with the signed hash. This catches what
 * the chain alone cannot: entries altered with every later hash recomputed, and entries removed
 * from the end (the log then ends before a signed head).
 */
export async function verifyWithCheckpoints(db: DB, checkpoints: readonly Checkpoint[], publicKey: KeyObject): Promise<ChainReport & { checkpoints: number }> {
  const chain = await verifyAuditChain(db);
  if (!chain.ok) return { ...chain, checkpoints: 0 };
  const newest = await db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const end = newest ? Number(newest.seq) : 0;
  const sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
  for (const checkpoint of sorted) {
    const broken = (problem: string) => ({ ok: false as const, entries: chain.entries, brokenAt: checkpoint.seq, problem, checkpoints: sorted.length });
    if (!checkpointSignatureValid(checkpoint, publicKey)) return broken('a checkpoint\'s signature does not verify under the public key (forged or altered checkpoint)');
    if (checkpoint.seq > end) return broken(`the log ends at entry ${end}, but a signed checkpoint covers entry ${checkpoint.seq}: entries were removed from the end (truncated)`);
    const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', checkpoint.seq).executeTakeFirst();
    if (!row) return broken(`entry ${checkpoint.seq}, named by a signed checkpoint, is missing`);
    if (row.hash !== checkpoint.hash) return broken(`entry ${checkpoint.seq} does not match its signed checkpoint: entries up to it were altered and the chain recomputed`);
  }
  return { ok: true, entries: chain.entries, checkpoints: sorted.length };
}

/** Checkpoints known to the database: its table and the `audit.checkpoint` entries of the log (deduplicated). */
export async function storedCheckpoints(db: DB): Promise<Checkpoint[]> {
  const fromLog = await db.selectFrom('audit_log').select('details').where('action', '=', 'audit.checkpoint').execute();
  const all = [...(await listCheckpoints(db)), ...fromLog.map((r) => JSON.parse(r.details) as Checkpoint)];
  return [...new Map(all.map((c) => [c.signature, c])).values()];
}
