import { staffRoles } from '../auth/roles.js';
import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';

/** Refuses an id that names no technician group. */
export async function requireGroup(db: DB, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const row = await db.selectFrom('technician_groups').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('invalid_request', 'Unknown technician group.', { field: 'groupId' });
}

/** Refuses an id that is not an enabled staff account (assignees, approvers). */
export async function requireStaff(db: DB, id: string | null | undefined, field: string): Promise<void> {
  if (!id) return;
  const row = await db.selectFrom('users').select(['role', 'enabled']).where('id', '=', id).executeTakeFirst();
  if (!row || row.enabled !== 1 || !staffRoles.includes(row.role as never)) throw new ApiError('invalid_request', 'Not an enabled staff account.', { field });
}

/** Refuses an id that is not an enabled account (requesters). */
export async function requireAccount(db: DB, id: string, field: string): Promise<void> {
  const row = await db.selectFrom('users').select('enabled').where('id', '=', id).executeTakeFirst();
  if (!row || row.enabled !== 1) throw new ApiError('invalid_request', 'Not an enabled account.', { field });
}

/** Refuses an id that names no row of a desk table. */
export async function requireRow(db: DB, table: 'desk_problems' | 'desk_releases' | 'desk_cis' | 'desk_kb_categories' | 'desk_incidents' | 'desk_changes', id: string | null | undefined, field: string): Promise<void> {
  if (!id) return;
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('invalid_request', `Unknown ${field}.`, { field });
}

/** Display names of accounts by id. */
export async function namesOf(db: DB, ids: (string | null)[]): Promise<Map<string, { id: string; email: string; displayName: string }>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, email: r.email, displayName: r.display_name }]));
}
