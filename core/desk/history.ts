import type { DB } from '../db/open.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';

/** Desk objects that keep a history. */
export type HistoryEntity = 'incident' | 'problem' | 'change' | 'release' | 'ci' | 'kb_article';

/** One field change to record. */
export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

/** A history entry as the API shows it. */
export interface HistoryEntry {
  id: string;
  at: number;
  actor: { id: string | null; displayName: string } | null;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

const asText = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

let sequence = 0;

/** Records field changes of one object at one moment by one actor. */
export async function recordHistory(db: DB, entity: HistoryEntity, entityId: string, actor: DeskActor, at: number, changes: FieldChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.insertInto('desk_history').values(changes.map((change) => ({
    id: newId(), entity_type: entity, entity_id: entityId, at, actor_id: actor.id, actor_name: actor.name,
    field: change.field, old_value: asText(change.oldValue), new_value: asText(change.newValue), seq: (sequence += 1),
  }))).execute();
}

/** Changes between an object's old and new values, for the fields named in `next`. */
export function diffFields<T extends Record<string, unknown>>(previous: T, next: Partial<T>): FieldChange[] {
  return Object.entries(next)
    .filter(([field, value]) => value !== undefined && asText(previous[field]) !== asText(value))
    .map(([field, value]) => ({ field, oldValue: previous[field], newValue: value }));
}

/** The history of one object, oldest first. */
export async function readHistory(db: DB, entity: HistoryEntity, entityId: string): Promise<HistoryEntry[]> {
  const rows = await db.selectFrom('desk_history').selectAll().where('entity_type', '=', entity).where('entity_id', '=', entityId)
    .orderBy('at').orderBy('seq').execute();
  return rows.map((r) => ({
    id: r.id, at: r.at, actor: r.actor_name === null ? null : { id: r.actor_id, displayName: r.actor_name }, field: r.field, oldValue: r.old_value, newValue: r.new_value,
  }));
}
