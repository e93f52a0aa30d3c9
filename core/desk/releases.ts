import { sql } from 'kysely';
import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import { diffFields, recordHistory } from './history.js';
import { requireRow } from './references.js';
import type { DeskReleasesTable } from './tables.js';

/** Release statuses and their allowed moves. */
export const releaseStatuses = ['planned', 'in_progress', 'deployed', 'closed', 'cancelled'] as const;
type ReleaseStatus = (typeof releaseStatuses)[number];
const transitions: Record<ReleaseStatus, readonly ReleaseStatus[]> = {
  planned: ['in_progress', 'cancelled'], in_progress: ['deployed', 'cancelled'], deployed: ['closed'], closed: [], cancelled: [],
};

/** Release fields as the API takes them. */
export interface ReleaseInput {
  name?: string | undefined;
  version?: string | undefined;
  description?: string | undefined;
  status?: ReleaseStatus | undefined;
  plannedAt?: number | null | undefined;
  changeIds?: string[] | undefined;
}

/** One release row or null. */
export async function findRelease(db: DB, id: string): Promise<DeskReleasesTable | null> {
  return (await db.selectFrom('desk_releases').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A release with the ids of its changes. */
export async function toRelease(db: DB, r: DeskReleasesTable) {
  const changes = await db.selectFrom('desk_changes').select('id').where('release_id', '=', r.id).orderBy('number').execute();
  return { id: r.id, ref: `REL-${r.number}`, name: r.name, version: r.version, description: r.description, status: r.status, plannedAt: r.planned_at, changeIds: changes.map((c) => c.id), createdAt: r.created_at, updatedAt: r.updated_at };
}

async function groupChanges(db: DB, releaseId: string, ids: string[]): Promise<void> {
  for (const id of ids) await requireRow(db, 'desk_changes', id, 'changeIds');
  await db.updateTable('desk_changes').set({ release_id: null }).where('release_id', '=', releaseId).execute();
  if (ids.length) await db.updateTable('desk_changes').set({ release_id: releaseId }).where('id', 'in', ids).execute();
}

/** Creates a planned release, optionally grouping changes. */
export async function createRelease(db: DB, clock: Clock, actor: DeskActor, input: ReleaseInput & { name: string }): Promise<DeskReleasesTable> {
  const now = clock.now();
  const id = newId();
  await db.insertInto('desk_releases').values({
    id, number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM desk_releases)`, name: input.name, version: input.version ?? '', description: input.description ?? '',
    status: 'planned', planned_at: input.plannedAt ?? null, created_at: now, updated_at: now,
  }).execute();
  await groupChanges(db, id, input.changeIds ?? []);
  await recordHistory(db, 'release', id, actor, now, [{ field: 'created', oldValue: null, newValue: input.name }]);
  return (await findRelease(db, id))!;
}

/** Changes a release (status moves enforced) and records the changes. */
export async function updateRelease(db: DB, clock: Clock, actor: DeskActor, row: DeskReleasesTable, input: ReleaseInput): Promise<DeskReleasesTable> {
  const from = row.status as ReleaseStatus;
  if (input.status && input.status !== from && !transitions[from].includes(input.status)) {
    throw new ApiError('conflict', `A release cannot go from ${from} to ${input.status}.`, { reason: 'invalid_transition', from, to: input.status, allowed: transitions[from] });
  }
  const current = await toRelease(db, row);
  const { changeIds, ...fields } = input;
  const changes = diffFields({ ...current, changeIds: [...current.changeIds].sort() } as Record<string, unknown>, { ...fields, ...(changeIds && { changeIds: [...changeIds].sort() }) });
  if (changes.length === 0) return row;
  const now = clock.now();
  if (changeIds) await groupChanges(db, row.id, changeIds);
  const set = Object.fromEntries(changes.filter((c) => c.field !== 'changeIds').map((c) => [c.field === 'plannedAt' ? 'planned_at' : c.field, c.newValue]));
  await db.updateTable('desk_releases').set({ ...set, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'release', row.id, actor, now, changes);
  return (await findRelease(db, row.id))!;
}
