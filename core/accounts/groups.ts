import type { DB } from '../db/open.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';

/** A technician group: a name, the permissions it grants, and its members. */
export interface Group {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  members: string[];
}

/** All groups with permissions and members, by name. */
export async function listGroups(db: DB): Promise<Group[]> {
  const rows = await db.selectFrom('technician_groups').selectAll().orderBy('name').execute();
  const perms = await db.selectFrom('group_permissions').selectAll().execute();
  const members = await db.selectFrom('user_groups').selectAll().execute();
  return rows.map((g) => ({
    id: g.id, name: g.name, description: g.description,
    permissions: perms.filter((p) => p.group_id === g.id).map((p) => p.permission).sort(),
    members: members.filter((m) => m.group_id === g.id).map((m) => m.user_id),
  }));
}

/** One group by id, or null. */
export async function getGroup(db: DB, id: string): Promise<Group | null> {
  const row = await db.selectFrom('technician_groups').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const perms = await db.selectFrom('group_permissions').select('permission').where('group_id', '=', id).execute();
  const members = await db.selectFrom('user_groups').select('user_id').where('group_id', '=', id).execute();
  return { id, name: row.name, description: row.description, permissions: perms.map((p) => p.permission).sort(), members: members.map((m) => m.user_id) };
}

/** Which of the given group ids do not exist (to refuse unknown ids with a clear error). */
export async function missingGroupIds(db: DB, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom('technician_groups').select('id').where('id', 'in', ids).execute();
  const known = new Set(found.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** Fields of a group that can be set. */
export interface GroupInput {
  name?: string;
  description?: string;
  permissions?: string[];
  members?: string[];
}

/** Creates a group. */
export async function insertGroup(db: DB, clock: Clock, input: GroupInput & { name: string }): Promise<Group> {
  const id = newId();
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('technician_groups').values({ id, name: input.name, description: input.description ?? '', created_at: now, updated_at: now }).execute();
    await replaceGroupLinks(trx, id, input);
  });
  return (await getGroup(db, id))!;
}

/** Changes a group; null if it does not exist. */
export async function updateGroup(db: DB, clock: Clock, id: string, input: GroupInput): Promise<Group | null> {
  const found = await db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('technician_groups').set({
      updated_at: clock.now(),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
    }).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await replaceGroupLinks(trx, id, input);
    return true;
  });
  return found ? getGroup(db, id) : null;
}

async function replaceGroupLinks(db: DB, groupId: string, input: GroupInput): Promise<void> {
  if (input.permissions !== undefined) {
    await db.deleteFrom('group_permissions').where('group_id', '=', groupId).execute();
    const unique = [...new Set(input.permissions)];
    if (unique.length > 0) await db.insertInto('group_permissions').values(unique.map((permission) => ({ group_id: groupId, permission }))).execute();
  }
  if (input.members !== undefined) {
    await db.deleteFrom('user_groups').where('group_id', '=', groupId).execute();
    const unique = [...new Set(input.members)];
    if (unique.length > 0) await db.insertInto('user_groups').values(unique.map((user_id) => ({ user_id, group_id: groupId }))).execute();
  }
}

/** Deletes a group; memberships and permissions go with it. */
export async function deleteGroup(db: DB, id: string): Promise<boolean> {
  const result = await db.deleteFrom('technician_groups').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
