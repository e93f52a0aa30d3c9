import type { AuditRow } from '../../db/schema.js';

/** One audit entry as a JSON object on one line, the form SIEM collectors ingest directly. */
export function formatJsonLine(row: AuditRow): string {
  let details: unknown = row.details;
  try {
    details = JSON.parse(row.details);
  } catch {
    // kept as the stored string: the hash covers that exact text
  }
  return `${JSON.stringify({
    seq: row.seq, at: new Date(row.at).toISOString(), action: row.action, outcome: row.outcome,
    actorId: row.actor_id, actorEmail: row.actor_email, ip: row.ip, targetType: row.target_type, targetId: row.target_id,
    details, prevHash: row.prev_hash, hash: row.hash,
  })}\n`;
}

/** Reads a line written by `formatJsonLine` back into the stored row (for verifying an export offline). */
export function parseJsonLine(line: string): AuditRow {
  const o = JSON.parse(line) as Record<string, unknown>;
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    seq: Number(o.seq), at: Date.parse(String(o.at)), action: String(o.action), outcome: String(o.outcome),
    actor_id: text(o.actorId), actor_email: text(o.actorEmail), ip: text(o.ip), target_type: text(o.targetType), target_id: text(o.targetId),
    details: typeof o.details === 'string' ? o.details : JSON.stringify(o.details), prev_hash: String(o.prevHash), hash: String(o.hash),
  };
}
