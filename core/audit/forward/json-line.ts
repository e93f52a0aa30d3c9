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
