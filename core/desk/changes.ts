import { sql } from 'kysely';
import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import { diffFields, recordHistory } from './history.js';
import { namesOf, requireRow, requireStaff } from './references.js';
import type { DeskChangesTable } from './tables.js';

/** Change types, risks and statuses. */
export const changeTypes = ['standard', 'normal', 'emergency'] as const;
export const changeRisks = ['low', 'medium', 'high'] as const;
export const changeStatuses = ['draft', 'pending_approval', 'approved', 'rejected', 'implementing', 'implemented', 'closed', 'cancelled'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];

/** Moves a PATCH may make; pending_approval → approved/rejected happens only through approvals. */
const transitions: Record<ChangeStatus, readonly ChangeStatus[]> = {
  draft: ['pending_approval', 'cancelled'],
  pending_approval: ['cancelled'],
  approved: ['implementing', 'cancelled'],
  rejected: ['draft', 'cancelled'],
  implementing: ['implemented', 'cancelled'],
  implemented: ['closed'],
  closed: [],
  cancelled: [],
};

/** Change fields as the API takes them. */
export interface ChangeInput {
  title?: string | undefined;
  description?: string | undefined;
  type?: (typeof changeTypes)[number] | undefined;
  risk?: (typeof changeRisks)[number] | undefined;
  plannedStart?: number | null | undefined;
  plannedEnd?: number | null | undefined;
  status?: ChangeStatus | undefined;
  approverIds?: string[] | undefined;
  ciIds?: string[] | undefined;
  releaseId?: string | null | undefined;
}

/** One change row or null. */
export async function findChange(db: DB, id: string): Promise<DeskChangesTable | null> {
  return (await db.selectFrom('desk_changes').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A change with its approvals and CIs, as the API shows it. */
export async function toChange(db: DB, r: DeskChangesTable) {
  const approvals = await db.selectFrom('desk_change_approvals').selectAll().where('change_id', '=', r.id).orderBy('approver_id').execute();
  const names = await namesOf(db, approvals.map((a) => a.approver_id));
  const cis = await db.selectFrom('desk_change_cis').select('ci_id').where('change_id', '=', r.id).execute();
  return {
    id: r.id, ref: `CHG-${r.number}`, title: r.title, description: r.description, type: r.type, risk: r.risk, plannedStart: r.planned_start, plannedEnd: r.planned_end,
    status: r.status, releaseId: r.release_id, ciIds: cis.map((c) => c.ci_id), createdAt: r.created_at, updatedAt: r.updated_at,
    approvals: approvals.map((a) => ({ approverId: a.approver_id, displayName: names.get(a.approver_id)?.displayName ?? '', decision: a.decision, comment: a.comment, decidedAt: a.decided_at })),
  };
}

function checkTransition(row: DeskChangesTable, to: ChangeStatus, approverCount: number): void {
  const from = row.status as ChangeStatus;
  if (from === to) return;
  if (to === 'implementing' && from === 'draft' && row.type === 'standard') return; // standard changes are pre-approved
  if (to === 'implementing' && from !== 'approved') throw new ApiError('conflict', 'Implementation needs an approved change.', { reason: 'approval_required', from, to });
  if (!transitions[from].includes(to)) throw new ApiError('conflict', `A change cannot go from ${from} to ${to}.`, { reason: 'invalid_transition', from, to, allowed: transitions[from] });
  if (to === 'pending_approval' && approverCount === 0) throw new ApiError('conflict', 'Name at least one approver first.', { reason: 'approval_required' });
}

async function setApprovers(db: DB, changeId: string, ids: string[]): Promise<void> {
  for (const id of ids) await requireStaff(db, id, 'approverIds');
  await db.deleteFrom('desk_change_approvals').where('change_id', '=', changeId).execute();
  if (ids.length) await db.insertInto('desk_change_approvals').values([...new Set(ids)].map((id) => ({ change_id: changeId, approver_id: id, decision: 'pending', comment: '', decided_at: null }))).execute();
}

async function setCis(db: DB, changeId: string, ids: string[]): Promise<void> {
  for (const id of ids) await requireRow(db, 'desk_cis', id, 'ciIds');
  await db.deleteFrom('desk_change_cis').where('change_id', '=', changeId).execute();
  if (ids.length) await db.insertInto('desk_change_cis').values([...new Set(ids)].map((id) => ({ change_id: changeId, ci_id: id }))).execute();
}

function checkSchedule(start: number | null | undefined, end: number | null | undefined): void {
  if (start != null && end != null && end < start) throw new ApiError('invalid_request', 'The planned end lies before the planned start.', { field: 'plannedEnd' });
}

/** Creates a change in draft. */
export async function createChange(db: DB, clock: Clock, actor: DeskActor, input: ChangeInput & { title: string; type: (typeof changeTypes)[number]; risk: (typeof changeRisks)[number] }): Promise<DeskChangesTable> {
  checkSchedule(input.plannedStart, input.plannedEnd);
  await requireRow(db, 'desk_releases', input.releaseId, 'releaseId');
  const now = clock.now();
  const id = newId();
  await db.insertInto('desk_changes').values({
    id, number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM desk_changes)`, title: input.title, description: input.description ?? '', type: input.type, risk: input.risk,
    planned_start: input.plannedStart ?? null, planned_end: input.plannedEnd ?? null, status: 'draft', release_id: input.releaseId ?? null, created_by: actor.id, created_at: now, updated_at: now,
  }).execute();
  await setApprovers(db, id, input.approverIds ?? []);
  await setCis(db, id, input.ciIds ?? []);
  await recordHistory(db, 'change', id, actor, now, [{ field: 'created', oldValue: null, newValue: input.title }]);
  return (await findChange(db, id))!;
}

/** Changes fields and status (rules enforced); approvers can only change while in draft. */
export async function updateChange(db: DB, clock: Clock, actor: DeskActor, row: DeskChangesTable, input: ChangeInput): Promise<DeskChangesTable> {
  const current = await toChange(db, row);
  if (input.approverIds && row.status !== 'draft') throw new ApiError('conflict', 'Approvers can only change in draft.', { reason: 'invalid_transition' });
  if (input.status) checkTransition(row, input.status, (input.approverIds ?? current.approvals.map((a) => a.approverId)).length);
  checkSchedule(input.plannedStart === undefined ? row.planned_start : input.plannedStart, input.plannedEnd === undefined ? row.planned_end : input.plannedEnd);
  await requireRow(db, 'desk_releases', input.releaseId, 'releaseId');
  const { approverIds, ciIds, ...fields } = input;
  const changes = diffFields({ ...current, approverIds: current.approvals.map((a) => a.approverId).sort(), ciIds: [...current.ciIds].sort() } as Record<string, unknown>,
    { ...fields, ...(approverIds && { approverIds: [...approverIds].sort() }), ...(ciIds && { ciIds: [...ciIds].sort() }) });
  if (changes.length === 0) return row;
  const now = clock.now();
  if (approverIds) await setApprovers(db, row.id, approverIds);
  if (ciIds) await setCis(db, row.id, ciIds);
  if (input.status === 'draft') await db.updateTable('desk_change_approvals').set({ decision: 'pending', comment: '', decided_at: null }).where('change_id', '=', row.id).execute();
  const columns: Record<string, string> = { plannedStart: 'planned_start', plannedEnd: 'planned_end', releaseId: 'release_id' };
  const set = Object.fromEntries(changes.filter((c) => c.field !== 'approverIds' && c.field !== 'ciIds').map((c) => [columns[c.field] ?? c.field, c.newValue]));
  await db.updateTable('desk_changes').set({ ...set, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'change', row.id, actor, now, changes);
  return (await findChange(db, row.id))!;
}

/** An approver's decision; all approved → approved, any rejected → rejected. */
export async function decideApproval(db: DB, clock: Clock, actor: DeskActor, row: DeskChangesTable, decision: 'approved' | 'rejected', comment: string): Promise<DeskChangesTable> {
  const mine = await db.selectFrom('desk_change_approvals').selectAll().where('change_id', '=', row.id).where('approver_id', '=', actor.id ?? '').executeTakeFirst();
  if (!mine) throw new ApiError('forbidden', 'You are not an approver of this change.', { reason: 'not_approver' });
  if (row.status !== 'pending_approval') throw new ApiError('conflict', 'The change is not waiting for approval.', { reason: 'invalid_transition', from: row.status });
  if (mine.decision !== 'pending') throw new ApiError('conflict', 'You already decided.', { reason: 'already_decided' });
  const now = clock.now();
  await db.updateTable('desk_change_approvals').set({ decision, comment, decided_at: now }).where('change_id', '=', row.id).where('approver_id', '=', mine.approver_id).execute();
  const all = await db.selectFrom('desk_change_approvals').select('decision').where('change_id', '=', row.id).execute();
  const status = all.some((a) => a.decision === 'rejected') ? 'rejected' : all.every((a) => a.decision === 'approved') ? 'approved' : row.status;
  if (status !== row.status) await db.updateTable('desk_changes').set({ status, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'change', row.id, actor, now, [
    { field: 'approval', oldValue: null, newValue: `${decision}${comment ? `: ${comment}` : ''}` },
    ...(status !== row.status ? [{ field: 'status', oldValue: row.status, newValue: status }] : []),
  ]);
  return (await findChange(db, row.id))!;
}
