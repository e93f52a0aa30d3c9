import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import { diffFields, recordHistory } from './history.js';
import { deleteLinksOf } from './links.js';

/** One attribute a CI type defines. */
export interface AttributeDef {
  key: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'date';
  required: boolean;
}

/** A CI type as the API shows it. */
export interface CiType {
  id: string;
  name: string;
  attributes: AttributeDef[];
  builtin: boolean;
}

/** Statuses of a CI. */
export const ciStatuses = ['active', 'inactive', 'retired'] as const;

/** Relation kinds between CIs. */
export const relationKinds = ['depends_on', 'runs_on'] as const;

type Row = { id: string; name: string; attributes: string; builtin: number };
const toType = (r: Row): CiType => ({ id: r.id, name: r.name, attributes: JSON.parse(r.attributes) as AttributeDef[], builtin: r.builtin === 1 });

/** All CI types by name. */
export async function listCiTypes(db: DB): Promise<CiType[]> {
  return (await db.selectFrom('desk_ci_types').selectAll().orderBy('name').execute()).map(toType);
}

/** One CI type or null. */
export async function findCiType(db: DB, id: string): Promise<CiType | null> {
  const row = await db.selectFrom('desk_ci_types').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toType(row) : null;
}

/** Creates or changes a CI type (names unique; built-in types keep their name). */
export async function saveCiType(db: DB, clock: Clock, input: { name?: string | undefined; attributes?: AttributeDef[] | undefined }, id?: string): Promise<CiType> {
  if (input.attributes && new Set(input.attributes.map((a) => a.key)).size !== input.attributes.length) throw new ApiError('invalid_request', 'Attribute keys must be unique.');
  if (input.name) {
    const taken = await db.selectFrom('desk_ci_types').select('id').where('name', '=', input.name).executeTakeFirst();
    if (taken && taken.id !== id) throw new ApiError('conflict', 'A CI type with this name exists.', { reason: 'duplicate' });
  }
  const now = clock.now();
  if (!id) {
    if (!input.name) throw new ApiError('invalid_request', 'A CI type needs a name.');
    const row = { id: newId(), name: input.name, attributes: JSON.stringify(input.attributes ?? []), builtin: 0, created_at: now, updated_at: now };
    await db.insertInto('desk_ci_types').values(row).execute();
    return toType(row);
  }
  const current = await findCiType(db, id);
  if (!current) throw new ApiError('not_found', 'No such CI type.');
  if (current.builtin && input.name && input.name !== current.name) throw new ApiError('conflict', 'A built-in type keeps its name.', { reason: 'builtin' });
  await db.updateTable('desk_ci_types').set({ ...(input.name && { name: input.name }), ...(input.attributes && { attributes: JSON.stringify(input.attributes) }), updated_at: now }).where('id', '=', id).execute();
  return (await findCiType(db, id))!;
}

/** Deletes an unused, non-built-in CI type. */
export async function deleteCiType(db: DB, id: string): Promise<void> {
  const type = await findCiType(db, id);
  if (!type) throw new ApiError('not_found', 'No such CI type.');
  if (type.builtin) throw new ApiError('conflict', 'Built-in types cannot be deleted.', { reason: 'in_use' });
  const used = await db.selectFrom('desk_cis').select('id').where('type_id', '=', id).executeTakeFirst();
  if (used) throw new ApiError('conflict', 'CIs of this type exist.', { reason: 'in_use' });
  await db.deleteFrom('desk_ci_types').where('id', '=', id).execute();
}

const valid = {
  string: (v: unknown) => typeof v === 'string' && v.length <= 2000,
  number: (v: unknown) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v: unknown) => typeof v === 'boolean',
  date: (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
};

/** Checks attribute values against a type: no unknown keys, right value types, required present. */
export function checkAttributes(type: CiType, values: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(values)) {
    const def = type.attributes.find((a) => a.key === key);
    if (!def) throw new ApiError('invalid_request', `Unknown attribute ${key} for type ${type.name}.`, { field: `attributes.${key}` });
    if (value !== null && !valid[def.type](value)) throw new ApiError('invalid_request', `Attribute ${key} must be a ${def.type}.`, { field: `attributes.${key}` });
  }
  const missing = type.attributes.filter((a) => a.required && (values[a.key] === undefined || values[a.key] === null));
  if (missing.length) throw new ApiError('invalid_request', `Missing attribute: ${missing.map((a) => a.key).join(', ')}.`, { field: 'attributes' });
  return values;
}

type CiRow = { id: string; name: string; type_id: string; status: string; attributes: string; source: string; created_at: number; updated_at: number };

/** A CI as the API shows it. */
export function toCi(row: CiRow, typeName: string | null) {
  return { id: row.id, name: row.name, typeId: row.type_id, typeName, status: row.status, attributes: JSON.parse(row.attributes) as Record<string, unknown>, source: row.source, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Fields of a CI. */
export interface CiInput {
  name?: string | undefined;
  typeId?: string | undefined;
  status?: string | undefined;
  attributes?: Record<string, unknown> | undefined;
}

/** Creates a CI (attributes checked against its type) and records it in its history. */
export async function createCi(db: DB, clock: Clock, actor: DeskActor, input: CiInput & { name: string; typeId: string }, source = 'manual', matchKey: string | null = null): Promise<CiRow> {
  const type = await findCiType(db, input.typeId);
  if (!type) throw new ApiError('invalid_request', 'Unknown CI type.', { field: 'typeId' });
  const now = clock.now();
  const row = { id: newId(), name: input.name, type_id: type.id, status: input.status ?? 'active', attributes: JSON.stringify(checkAttributes(type, input.attributes ?? {})), source, match_key: matchKey, created_at: now, updated_at: now };
  await db.insertInto('desk_cis').values(row).execute();
  await recordHistory(db, 'ci', row.id, actor, now, [{ field: 'created', oldValue: null, newValue: row.name }]);
  return row;
}

/** Changes a CI; every changed field and attribute becomes a history entry. */
export async function updateCi(db: DB, clock: Clock, actor: DeskActor, row: CiRow, input: CiInput): Promise<CiRow> {
  const type = (await findCiType(db, input.typeId ?? row.type_id));
  if (!type) throw new ApiError('invalid_request', 'Unknown CI type.', { field: 'typeId' });
  const oldAttributes = JSON.parse(row.attributes) as Record<string, unknown>;
  const attributes = input.attributes ? checkAttributes(type, { ...oldAttributes, ...input.attributes }) : oldAttributes;
  const changes = [
    ...diffFields({ name: row.name, typeId: row.type_id, status: row.status }, { name: input.name, typeId: input.typeId, status: input.status }),
    ...diffFields(Object.fromEntries(Object.entries(oldAttributes).map(([k, v]) => [`attributes.${k}`, v])), Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes.${k}`, v]))),
  ];
  if (changes.length === 0) return row;
  const now = clock.now();
  const next = { name: input.name ?? row.name, type_id: type.id, status: input.status ?? row.status, attributes: JSON.stringify(attributes), updated_at: now };
  await db.updateTable('desk_cis').set(next).where('id', '=', row.id).execute();
  await recordHistory(db, 'ci', row.id, actor, now, changes);
  return { ...row, ...next };
}

/** One CI row or null. */
export async function findCi(db: DB, id: string) {
  return (await db.selectFrom('desk_cis').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Deletes a CI with its relations and links. */
export async function deleteCi(db: DB, id: string): Promise<boolean> {
  const result = await db.deleteFrom('desk_cis').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  await deleteLinksOf(db, 'ci', id);
  return true;
}

/** Relations of a CI in both directions, with the other CI's name and type. */
export async function relationsOf(db: DB, id: string) {
  const rows = await db.selectFrom('desk_ci_relations').selectAll().where((eb) => eb.or([eb('from_id', '=', id), eb('to_id', '=', id)])).execute();
  const others = rows.map((r) => (r.from_id === id ? r.to_id : r.from_id));
  const cis = others.length === 0 ? [] : await db.selectFrom('desk_cis').innerJoin('desk_ci_types', 'desk_ci_types.id', 'desk_cis.type_id')
    .select(['desk_cis.id', 'desk_cis.name', 'desk_ci_types.name as typeName']).where('desk_cis.id', 'in', others).execute();
  const byId = new Map(cis.map((c) => [c.id, c]));
  return rows.map((r) => ({ id: r.id, kind: r.kind, direction: r.from_id === id ? 'out' : 'in', ci: byId.get(r.from_id === id ? r.to_id : r.from_id) ?? null }));
}

/** Relates two CIs (no self-relations, no duplicates); recorded in both CIs' histories. */
export async function relateCis(db: DB, clock: Clock, actor: DeskActor, fromId: string, toId: string, kind: string): Promise<{ id: string; fromId: string; toId: string; kind: string }> {
  if (fromId === toId) throw new ApiError('invalid_request', 'A CI cannot relate to itself.');
  if (!(await findCi(db, fromId)) || !(await findCi(db, toId))) throw new ApiError('invalid_request', 'Unknown CI.');
  const exists = await db.selectFrom('desk_ci_relations').select('id').where('from_id', '=', fromId).where('to_id', '=', toId).where('kind', '=', kind).executeTakeFirst();
  if (exists) throw new ApiError('conflict', 'This relation exists.', { reason: 'duplicate' });
  const now = clock.now();
  const row = { id: newId(), from_id: fromId, to_id: toId, kind, created_at: now };
  await db.insertInto('desk_ci_relations').values(row).execute();
  await recordHistory(db, 'ci', fromId, actor, now, [{ field: 'relation', oldValue: null, newValue: `${kind} → ${toId}` }]);
  await recordHistory(db, 'ci', toId, actor, now, [{ field: 'relation', oldValue: null, newValue: `${fromId} ${kind} → this` }]);
  return { id: row.id, fromId, toId, kind };
}

/** Removes a relation; recorded in both CIs' histories. */
export async function unrelateCis(db: DB, clock: Clock, actor: DeskActor, id: string): Promise<boolean> {
  const row = await db.selectFrom('desk_ci_relations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return false;
  await db.deleteFrom('desk_ci_relations').where('id', '=', id).execute();
  const now = clock.now();
  await recordHistory(db, 'ci', row.from_id, actor, now, [{ field: 'relation', oldValue: `${row.kind} → ${row.to_id}`, newValue: null }]);
  await recordHistory(db, 'ci', row.to_id, actor, now, [{ field: 'relation', oldValue: `${row.from_id} ${row.kind} → this`, newValue: null }]);
  return true;
}
