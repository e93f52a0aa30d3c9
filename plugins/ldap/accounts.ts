import { missingGroupIds } from '../../core/accounts/groups.js';
import { countEnabledAccountAdmins, findUserRowByEmail, getUser, insertUser, updateUser, type UserChanges } from '../../core/accounts/users.js';
import { endAllLoginSessions } from '../../core/auth/login-sessions.js';
import type { UserRow } from '../../core/db/schema.js';
import type { PluginHost } from '../../core/policy/host.js';
import type { MappedAccess } from './mapping.js';
import type { LdapAccountsTable } from './tables.js';

/** A directory user ready to become a local account: unique id and e-mail are known. */
export interface AccountSource {
  uniqueId: string;
  dn: string;
  email: string;
  displayName: string;
}

/** What happened to the local account. `conflict`: the e-mail belongs to an account the directory does not own. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'conflict';

/** A local account with its directory link. */
export interface LinkedAccount {
  user: UserRow;
  link: LdapAccountsTable;
}

/** The local account linked to a directory entry, or null. */
export async function findLinked(host: PluginHost, uniqueId: string): Promise<LinkedAccount | null> {
  const link = await host.db.selectFrom('ldap_accounts').selectAll().where('unique_id', '=', uniqueId).executeTakeFirst();
  if (!link) return null;
  const user = await host.db.selectFrom('users').selectAll().where('id', '=', link.user_id).executeTakeFirst();
  return user ? { user, link } : null;
}

/** Every local account the directory owns, with its link. */
export async function listLinked(host: PluginHost): Promise<LinkedAccount[]> {
  const rows = await host.db.selectFrom('ldap_accounts').innerJoin('users', 'users.id', 'ldap_accounts.user_id').selectAll('users')
    .select(['ldap_accounts.unique_id', 'ldap_accounts.dn', 'ldap_accounts.disabled_by_sync', 'ldap_accounts.synced_at']).execute();
  return rows.map(({ unique_id, dn, disabled_by_sync, synced_at, ...user }) => ({ user, link: { user_id: user.id, unique_id, dn, disabled_by_sync, synced_at } }));
}

/**
 * Creates or updates the local account of a directory user (source 'ldap', no local password),
 * with role and groups from the mapping. Never takes over a local account that has the same
 * e-mail. Re-enables an account only if the sync disabled it, never one an admin disabled.
 */
export async function upsertAccount(host: PluginHost, source: AccountSource, access: MappedAccess): Promise<{ outcome: UpsertOutcome; userId: string | null }> {
  const groups = await knownGroups(host, access.groups);
  let linked = await findLinked(host, source.uniqueId);
  if (!linked) {
    const sameEmail = await findUserRowByEmail(host.db, source.email);
    if (sameEmail && (sameEmail.auth_source !== 'ldap' || await isLinkedElsewhere(host, sameEmail.id))) return { outcome: 'conflict', userId: sameEmail.id };
    if (!sameEmail) {
      const user = await insertUser(host.db, host.clock, { email: source.email, displayName: source.displayName, role: access.role, passwordHash: null, groups, authSource: 'ldap' });
      await writeLink(host, user.id, source, 0);
      return { outcome: 'created', userId: user.id };
    }
    // An ldap account without a link (its link was lost, or the unique-id attribute was changed): adopt it.
    await writeLink(host, sameEmail.id, source, 0);
    linked = (await findLinked(host, source.uniqueId))!;
  }
  const changes = await changesFor(host, linked, source, { ...access, groups });
  if (changes === 'conflict') return { outcome: 'conflict', userId: linked.user.id };
  const changed = Object.keys(changes).length > 0;
  if (changed) await updateUser(host.db, host.clock, linked.user.id, changes);
  await writeLink(host, linked.user.id, source, changes.enabled === true ? 0 : linked.link.disabled_by_sync);
  return { outcome: changed ? 'updated' : 'unchanged', userId: linked.user.id };
}

async function changesFor(host: PluginHost, linked: LinkedAccount, source: AccountSource, access: MappedAccess): Promise<UserChanges | 'conflict'> {
  const { user } = linked;
  const changes: UserChanges = {};
  if (source.email !== user.email) {
    if (await findUserRowByEmail(host.db, source.email)) return 'conflict';
    changes.email = source.email;
  }
  if (source.displayName !== user.display_name) changes.displayName = source.displayName;
  if (access.role !== user.role && !(await wouldRemoveLastAdmin(host, user, access.role))) changes.role = access.role;
  const current = (await getUser(host.db, user.id))?.groups.slice().sort() ?? [];
  if (current.join() !== access.groups.join()) changes.groups = access.groups;
  if (user.enabled !== 1 && linked.link.disabled_by_sync === 1) changes.enabled = true;
  return changes;
}

/**
 * Disables an account the directory removed or disabled and ends its login sessions. The last
 * enabled account admin is kept (and reported), so a directory mistake cannot lock admins out.
 */
export async function disableAccount(host: PluginHost, linked: LinkedAccount): Promise<'disabled' | 'kept_last_admin' | 'already'> {
  if (linked.user.enabled !== 1) return 'already';
  if (await wouldRemoveLastAdmin(host, linked.user, null)) return 'kept_last_admin';
  await updateUser(host.db, host.clock, linked.user.id, { enabled: false });
  await host.db.updateTable('ldap_accounts').set({ disabled_by_sync: 1, synced_at: host.clock.now() }).where('user_id', '=', linked.user.id).execute();
  await endAllLoginSessions(host.db, linked.user.id);
  return 'disabled';
}

async function wouldRemoveLastAdmin(host: PluginHost, user: UserRow, newRole: string | null): Promise<boolean> {
  if (user.role !== 'account_admin' || user.enabled !== 1 || newRole === 'account_admin') return false;
  return (await countEnabledAccountAdmins(host.db)) <= 1;
}

async function isLinkedElsewhere(host: PluginHost, userId: string): Promise<boolean> {
  return Boolean(await host.db.selectFrom('ldap_accounts').select('user_id').where('user_id', '=', userId).executeTakeFirst());
}

async function knownGroups(host: PluginHost, ids: string[]): Promise<string[]> {
  const missing = new Set(await missingGroupIds(host.db, ids));
  if (missing.size > 0) host.logger.warn({ plugin: 'ldap', missing: [...missing] }, 'groupMapping names technician groups that do not exist; ignored');
  return ids.filter((id) => !missing.has(id));
}

async function writeLink(host: PluginHost, userId: string, source: AccountSource, disabledBySync: number): Promise<void> {
  const row = { user_id: userId, unique_id: source.uniqueId, dn: source.dn, disabled_by_sync: disabledBySync, synced_at: host.clock.now() };
  await host.db.insertInto('ldap_accounts').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
}
