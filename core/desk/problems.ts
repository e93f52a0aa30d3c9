import { sql } from 'kysely';
import type { DB } from '../db/open.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import { diffFields, recordHistory } from './history.js';
import type { DeskProblemsTable } from './tables.js';

/** Problem statuses. */
export const problemStatuses = ['open', 'investigating', 'resolved', 'closed'] as const;

/** Problem fields as the API takes them. */
export interface ProblemInput {
  title?: string | undefined;
  description?: string | undefined;
  rootCause?: string | undefined;
  workaround?: string | undefined;
  knownError?: boolean | undefined;
  status?: (typeof problemStatuses)[number] | undefined;
}

/** A problem as the API shows it. */
export const toProblem = (r: DeskProblemsTable) => ({
  id: r.id, ref: `PRB-${r.number}`, title: r.title, description: r.description, rootCause: r.root_cause, workaround: r.workaround,
  knownError: r.known_error === 1, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
});

const view = (r: DeskProblemsTable) => { const { id: _i, ref: _r, createdAt: _c, updatedAt: _u, ...rest } = toProblem(r); return rest; };

/** One problem row or null. */
export async function findProblem(db: DB, id: string): Promise<DeskProblemsTable | null> {
  return (await db.selectFrom('desk_problems').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Creates a problem. */
export async function createProblem(db: DB, clock: Clock, actor: DeskActor, input: ProblemInput & { title: string }): Promise<DeskProblemsTable> {
  const now = clock.now();
  const id = newId();
  await db.insertInto('desk_problems').values({
    id, number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM desk_problems)`, title: input.title, description: input.description ?? '', root_cause: input.rootCause ?? '',
    workaround: input.workaround ?? '', known_error: input.knownError ? 1 : 0, status: input.status ?? 'open', created_at: now, updated_at: now,
  }).execute();
  await recordHistory(db, 'problem', id, actor, now, [{ field: 'created', oldValue: null, newValue: input.title }]);
  return (await findProblem(db, id))!;
}

/** Changes a problem and records every changed field. */
export async function updateProblem(db: DB, clock: Clock, actor: DeskActor, row: DeskProblemsTable, input: ProblemInput): Promise<DeskProblemsTable> {
  const changes = diffFields(view(row), input);
  if (changes.length === 0) return row;
  const now = clock.now();
  const columns: Record<string, string> = { rootCause: 'root_cause', knownError: 'known_error' };
  const set = Object.fromEntries(changes.map((c) => [columns[c.field] ?? c.field, typeof c.newValue === 'boolean' ? (c.newValue ? 1 : 0) : c.newValue]));
  await db.updateTable('desk_problems').set({ ...set, updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'problem', row.id, actor, now, changes);
  return (await findProblem(db, row.id))!;
}
