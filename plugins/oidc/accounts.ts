import { missingGroupIds } from '../../core/accounts/groups.js';
import { countEnabledAccountAdmins, findUserRowByEmail, getUser, insertUser, normaliseEmail, updateUser, type UserChanges } from '../../core/accounts/users.js';
import type { Role } from '../../core/auth/roles.js';
import type { UserRow } from '../../core/db/schema.js';
import type { PluginHost } from '../../core/policy/host.js';
import type { OidcProvider } from './settings.js';

/** The person a provider vouched for, read from the validated claims. */
export interface Identity {
  providerId: string;
  subject: string;
  /** Null when the token has none, or an unverified one while verified e-mails are required. */
  email: string | null;
  displayName: string;
  groups: string[];
}

/** Why a provider's person gets no account here (stable codes: audit and the login page). */
export type RefusalReason = 'no_account' | 'no_mapped_group' | 'email_missing' | 'email_belongs_to_another_account';

/** The local account a login stands for, or why there is none. */
export type Resolution = { outcome: 'ok'; user: UserRow; created: boolean; linked: boolean } | { outcome: 'refused'; reason: RefusalReason };

/** Reads the identity out of validated claims as the provider's claim names say. */
export function identityFrom(p: OidcProvider, claims: Record<string, unknown>): Identity | null {
  const subject = claims[p.claims.subject];
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) return null;
  const rawEmail = claims[p.claims.email];
  const verified = !p.requireVerifiedEmail || claims.email_verified === true;
  const email = typeof rawEmail === 'string' && rawEmail.includes('@') && rawEmail.length <= 320 && verified ? normaliseEmail(rawEmail) : null;
  const name = claims[p.claims.displayName];
  const groups = claims[p.claims.groups];
  return {
    providerId: p.id, subject, email,
    displayName: typeof name === 'string' ? name.slice(0, 200) : '',
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string').slice(0, 1000) : typeof groups === 'string' ? [groups] : [],
  };
}

/** Maps the person's groups: first matching role line, else the default role (null: no access); technician groups add up. */
export function mapAccess(p: OidcProvider, groups: readonly string[]): { role: Role; groups: string[] } | null {
  const member = new Set(groups.map((g) => g.toLowerCase()));
  const role = p.roleMapping.find((line) => member.has(line.group.toLowerCase()))?.role ?? p.defaultRole;
  if (!role) return null;
  const ids = new Set<string>();
  for (const line of p.groupMapping) if (member.has(line.group.toLowerCase())) line.groups.forEach((id) => ids.add(id));
  return { role, groups: [...ids].sort() };
}

/**
 * Finds the local account: by the (provider, subject) link first, never by a changed e-mail;
 * else by e-mail when the provider may link so; else a new account when it may create them.
 * Accounts this plugin created (`auth_source` 'oidc') follow the provider's groups at every login.
 */
export async function resolveAccount(host: PluginHost, p: OidcProvider, who: Identity): Promise<Resolution> {
  const link = await host.db.selectFrom('oidc_links').select('user_id').where('provider_id', '=', p.id).where('subject', '=', who.subject).executeTakeFirst();
  let user = link ? await userRow(host, link.user_id) : null;
  let linked = false;
  let created = false;
  if (!user && who.email && p.linkByEmail) {
    user = await findUserRowByEmail(host.db, who.email);
    linked = user !== null;
  }
  if (!user) {
    if (!p.createAccounts) return { outcome: 'refused', reason: 'no_account' };
    if (!who.email) return { outcome: 'refused', reason: 'email_missing' };
    if (await findUserRowByEmail(host.db, who.email)) return { outcome: 'refused', reason: 'email_belongs_to_another_account' };
    const access = mapAccess(p, who.groups);
    if (!access) return { outcome: 'refused', reason: 'no_mapped_group' };
    const made = await insertUser(host.db, host.clock, { email: who.email, displayName: who.displayName, role: access.role, passwordHash: null, groups: await knownGroups(host, access.groups), authSource: 'oidc' });
    user = (await userRow(host, made.id))!;
    created = true;
  } else if (user.auth_source === 'oidc') {
    const access = mapAccess(p, who.groups);
    if (!access) return { outcome: 'refused', reason: 'no_mapped_group' };
    user = await follow(host, user, who, access);
  }
  await writeLink(host, p.id, who, user.id, !link);
  return { outcome: 'ok', user, created, linked };
}

/** Brings an account the provider owns in line with its claims (the last account admin keeps the role). */
async function follow(host: PluginHost, user: UserRow, who: Identity, access: { role: Role; groups: string[] }): Promise<UserRow> {
  const changes: UserChanges = {};
  if (who.displayName && who.displayName !== user.display_name) changes.displayName = who.displayName;
  if (who.email && who.email !== user.email && !(await findUserRowByEmail(host.db, who.email))) changes.email = who.email;
  const keepsLastAdmin = user.role === 'account_admin' && access.role !== 'account_admin' && (await countEnabledAccountAdmins(host.db)) <= 1;
  if (access.role !== user.role && !keepsLastAdmin) changes.role = access.role;
  const groups = await knownGroups(host, access.groups);
  const current = (await getUser(host.db, user.id))?.groups.slice().sort() ?? [];
  if (current.join() !== groups.join()) changes.groups = groups;
  if (Object.keys(changes).length === 0) return user;
  await updateUser(host.db, host.clock, user.id, changes);
  await host.audit.record({ action: 'oidc.account_updated', outcome: 'info', actorId: user.id, actorEmail: user.email, targetType: 'user', targetId: user.id, details: { provider: who.providerId, changed: Object.keys(changes) } });
  return (await userRow(host, user.id))!;
}

async function writeLink(host: PluginHost, providerId: string, who: Identity, userId: string, isNew: boolean): Promise<void> {
  const now = host.clock.now();
  if (isNew) {
    await host.db.insertInto('oidc_links').values({ provider_id: providerId, subject: who.subject, user_id: userId, email: who.email ?? '', created_at: now, last_login_at: now })
      .onConflict((oc) => oc.columns(['provider_id', 'subject']).doUpdateSet({ user_id: userId, last_login_at: now })).execute();
  } else {
    await host.db.updateTable('oidc_links').set({ last_login_at: now, ...(who.email && { email: who.email }) }).where('provider_id', '=', providerId).where('subject', '=', who.subject).execute();
  }
}

async function userRow(host: PluginHost, id: string): Promise<UserRow | null> {
  return (await host.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

async function knownGroups(host: PluginHost, ids: string[]): Promise<string[]> {
  const missing = new Set(await missingGroupIds(host.db, ids));
  if (missing.size > 0) host.logger.warn({ plugin: 'oidc', missing: [...missing] }, 'groupMapping names technician groups that do not exist; ignored');
  return ids.filter((id) => !missing.has(id)).sort();
}
