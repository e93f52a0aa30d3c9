import type { Role } from '../auth/roles.js';
import type { DB } from '../db/open.js';
import type { UserRow } from '../db/schema.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';

/** An account as the API shows it: never its password hash. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  enabled: boolean;
  groups: string[];
  language: string | null;
  authSource: string;
  lockedUntil: number | null;
  createdAt: number;
}

/** E-mail addresses are the identity; compare them in one canonical form. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

function toUser(row: UserRow, groups: string[]): User {
  return {
    id: row.id, email: row.email, displayName: row.display_name, role: row.role as Role, enabled: row.enabled === 1,
    groups, language: row.language, authSource: row.auth_source, lockedUntil: row.locked_until, createdAt: row.created_at,
  };
}

async function groupIdsByUser(db: DB, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await db.selectFrom('user_groups').select(['user_id', 'group_id']).where('user_id', 'in', userIds).execute();
  for (const row of rows) map.get(row.user_id)?.push(row.group_id);
  return map;
}

/** All accounts, by e-mail. */
export async function listUsers(db: DB): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  const groups = await groupIdsByUser(db, rows.map((r) => r.id));
  return rows.map((r) => toUser(r, groups.get(r.id) ?? []));
}

/** One account by id, or null. */
export async function getUser(db: DB, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return toUser(row, (await groupIdsByUser(db, [id])).get(id) ?? []);
}

/** The stored row for an e-mail (login needs the hash and lockout state), or null. */
export async function findUserRowByEmail(db: DB, email: string): Promise<UserRow | null> {
  return (await db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst()) ?? null;
}

/** Whether any account admin exists (first-run setup is needed until one does). */
export async function hasAccountAdmin(db: DB): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', 'account_admin').limit(1).executeTakeFirst();
  return Boolean(row);
}

/** The fields of a new account; the password arrives already hashed. */
export interface NewUser {
  email: string;
  displayName?: string;
  role: Role;
  passwordHash: string | null;
  enabled?: boolean;
  groups?: string[];
  authSource?: string;
}

/** Creates an account and its group memberships in one transaction. */
export async function insertUser(db: DB, clock: Clock, input: NewUser): Promise<User> {
  const id = newId();
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values({
      id, email: normaliseEmail(input.email), display_name: input.displayName ?? '', role: input.role,
      enabled: input.enabled === false ? 0 : 1, password_hash: input.passwordHash, auth_source: input.authSource ?? 'local',
      language: null, locked_until: null, created_at: now, updated_at: now, password_changed_at: input.passwordHash ? now : null,
    }).execute();
    await setMemberships(trx, id, input.groups ?? []);
  });
  return (await getUser(db, id))!;
}

/** The fields an admin can change on an account. */
export interface UserChanges {
  email?: string;
  displayName?: string;
  role?: Role;
  enabled?: boolean;
  groups?: string[];
  passwordHash?: string;
  language?: string | null;
}

/** Applies changes to an account (disabling also revokes its sessions and API tokens); returns it, or null if it does not exist. */
export async function updateUser(db: DB, clock: Clock, id: string, changes: UserChanges): Promise<User | null> {
  const now = clock.now();
  const found = await db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('users').set({
      updated_at: now,
      ...(changes.email !== undefined && { email: normaliseEmail(changes.email) }),
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
      ...(changes.role !== undefined && { role: changes.role }),
      ...(changes.enabled !== undefined && { enabled: changes.enabled ? 1 : 0 }),
      ...(changes.language !== undefined && { language: changes.language }),
      ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash, password_changed_at: now, failed_logins: 0, locked_until: null }),
    }).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    if (changes.groups !== undefined) await setMemberships(trx, id, changes.groups);
    // Disabling revokes for good: re-enabling must not bring old cookies or API tokens back to life.
    if (changes.enabled === false) await revokeCredentials(trx, id);
    return true;
  });
  return found ? getUser(db, id) : null;
}

async function revokeCredentials(db: DB, userId: string): Promise<void> {
  await db.deleteFrom('login_sessions').where('user_id', '=', userId).execute();
  await db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
}

/** How many API tokens an account holds (audited when disabling revokes them). */
export async function countApiTokens(db: DB, userId: string): Promise<number> {
  const row = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function setMemberships(db: DB, userId: string, groupIds: string[]): Promise<void> {
  await db.deleteFrom('user_groups').where('user_id', '=', userId).execute();
  const unique = [...new Set(groupIds)];
  if (unique.length > 0) await db.insertInto('user_groups').values(unique.map((group_id) => ({ user_id: userId, group_id }))).execute();
}

/** Deletes an account (its sessions, tokens and memberships go with it). */
export async function deleteUser(db: DB, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many enabled account admins there are: the last one may not be removed or demoted. */
export async function countEnabledAccountAdmins(db: DB): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'account_admin').where('enabled', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The union of the permissions of an account's technician groups. */
export async function permissionsOf(db: DB, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_groups').innerJoin('group_permissions', 'group_permissions.group_id', 'user_groups.group_id')
    .select('group_permissions.permission').distinct().where('user_groups.user_id', '=', userId).execute();
  return rows.map((r) => r.permission).sort();
}
