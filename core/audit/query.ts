import { sql } from 'kysely';
import type { DB } from '../db/open.js';
import type { AuditRow } from '../db/schema.js';

/** Filters of the audit view and export. */
export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  outcome?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  before?: number | undefined;
  limit: number;
}

/** An audit entry as the API shows it. */
export interface AuditEntry {
  seq: number;
  at: number;
  action: string;
  outcome: string;
  actorId: string | null;
  actorEmail: string | null;
  ip: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq, at: r.at, action: r.action, outcome: r.outcome, actorId: r.actor_id, actorEmail: r.actor_email, ip: r.ip,
  targetType: r.target_type, targetId: r.target_id, details: JSON.parse(r.details) as Record<string, unknown>, hash: r.hash,
});

/** Newest first, filtered; `action` matches a prefix ("auth." finds all login events). */
export async function queryAudit(db: DB, filter: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
  // LIKE has no escape character unless one is named (SQLite, standard SQL): without ESCAPE the
  // backslashes stay literal and a prefix holding "_" (setup.first_admin) never matches.
  if (filter.action) {
    const prefix = `${filter.action.replace(/[%_\\]/g, '\\$&')}%`;
    q = q.where(sql<boolean>`${sql.ref('action')} like ${prefix} escape ${'\\'}`);
  }
  if (filter.actor) q = q.where((eb) => eb.or([eb('actor_email', '=', filter.actor!.toLowerCase()), eb('actor_id', '=', filter.actor!)]));
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('at', '<=', filter.to);
  if (filter.before !== undefined) q = q.where('seq', '<', filter.before);
  return (await q.execute()).map(toEntry);
}

const csvColumns = ['seq', 'at', 'action', 'outcome', 'actorId', 'actorEmail', 'ip', 'targetType', 'targetId', 'details', 'hash'] as const;

/** One RFC 4180 CSV cell, with spreadsheet formulas defused. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell starting with = + - @ would run as a formula in a spreadsheet: defuse it.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Audit entries as CSV (RFC 4180), time as ISO 8601. */
export function toCsv(entries: AuditEntry[]): string {
  const lines = [csvColumns.join(',')];
  for (const e of entries) {
    lines.push(csvColumns.map((col) => csvCell(col === 'at' ? new Date(e.at).toISOString() : e[col])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
