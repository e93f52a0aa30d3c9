import type { DB } from '../db/open.js';
import { GENESIS_HASH, entryHash } from './audit-log.js';

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
