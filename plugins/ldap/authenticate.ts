import type { PluginHost } from '../../core/policy/host.js';
import type { AuthenticationResult, Credentials } from '../../core/policy/types.js';
import { findLinked, upsertAccount } from './accounts.js';
import { DirectoryError, openDirectory, type Directory, type DirectoryEntry } from './directory.js';
import { bindNameFor, uniqueIdOf } from './ldap-text.js';
import { findUserEntries, isDisabled, toDirectoryUser, type DirectoryUser } from './lookup.js';
import { mapAccess, type MappedAccess } from './mapping.js';
import { directoryOptions, serviceAccount, type LdapSettings } from './settings.js';

const rejected = (reason: string, userId?: string): AuthenticationResult => ({ outcome: 'rejected', reason, ...(userId && { userId }) });

/** Logins that cannot be a directory name: empty, huge, or with control characters. */
const implausibleLogin = (login: string) => login.length === 0 || login.length > 256 || /[\u0000-\u001f\u007f]/.test(login);

/**
 * Checks a login against the directory: find the entry (or build its DN), bind as the user with
 * the password, read profile and groups, then create or update the local account. Every refusal
 * is audited with its reason; the password never leaves this function except in the bind.
 */
export async function authenticateWithDirectory(host: PluginHost, s: LdapSettings, credentials: Credentials): Promise<AuthenticationResult> {
  const login = credentials.login.trim();
  // An empty password makes a simple bind "unauthenticated", which servers answer with success.
  if (credentials.password.length === 0) return audited(host, credentials, rejected('empty_password'));
  if (implausibleLogin(login)) return { outcome: 'unknown' };
  let dir: Directory;
  try {
    dir = await openDirectory(directoryOptions(s));
  } catch (error) {
    return audited(host, credentials, rejected('directory_unavailable'), error);
  }
  try {
    const found = s.bindMode === 'search' ? await bindBySearch(host, dir, s, login, credentials.password) : await bindDirect(host, dir, s, login, credentials.password);
    if ('outcome' in found) return audited(host, credentials, found);
    return audited(host, credentials, await provision(host, dir, s, found.entry));
  } catch (error) {
    return audited(host, credentials, rejected(error instanceof DirectoryError ? `directory_${error.kind}` : 'directory_error'), error);
  } finally {
    await dir.close();
  }
}

/** Search mode: the service account finds the entry, then the user's own bind checks the password. */
async function bindBySearch(host: PluginHost, dir: Directory, s: LdapSettings, login: string, password: string): Promise<{ entry: DirectoryEntry } | AuthenticationResult> {
  const service = serviceAccount(s)!;
  await dir.bind(service.dn, service.password);
  const entries = await findUserEntries(dir, s, login);
  if (entries.length === 0) return { outcome: 'unknown' };
  if (entries.length > 1) return rejected('ambiguous_login');
  const entry = entries[0]!;
  const uniqueId = uniqueIdOf(entry, s.attributes.uniqueId);
  const linked = uniqueId ? await findLinked(host, uniqueId) : null;
  // A locked account is not tried against the directory at all: the answer cannot depend on the password.
  if (linked && (linked.user.locked_until ?? 0) > host.clock.now()) return rejected('locked', linked.user.id);
  try {
    await dir.bind(entry.dn, password);
  } catch (error) {
    if (error instanceof DirectoryError && error.kind === 'invalid_credentials') return rejected('bad_password', linked?.user.id);
    throw error;
  }
  // Read groups with the service account's rights, not the user's.
  await dir.bind(service.dn, service.password);
  return { entry };
}

/** Direct mode: bind with the name built from the template, then read the entry. */
async function bindDirect(host: PluginHost, dir: Directory, s: LdapSettings, login: string, password: string): Promise<{ entry: DirectoryEntry } | AuthenticationResult> {
  try {
    await dir.bind(bindNameFor(s.userDnTemplate!, login), password);
  } catch (error) {
    // A wrong password and an unknown name look the same to a direct bind.
    if (error instanceof DirectoryError && error.kind === 'invalid_credentials') return rejected('bad_credentials');
    throw error;
  }
  const service = serviceAccount(s);
  if (service) await dir.bind(service.dn, service.password);
  const entries = await findUserEntries(dir, s, login);
  if (entries.length !== 1) return rejected(entries.length === 0 ? 'entry_not_readable' : 'ambiguous_login');
  const entry = entries[0]!;
  const uniqueId = uniqueIdOf(entry, s.attributes.uniqueId);
  const linked = uniqueId ? await findLinked(host, uniqueId) : null;
  // No user id here: naming the account would let a locked account's answer depend on the password.
  if (linked && (linked.user.locked_until ?? 0) > host.clock.now()) return rejected('locked');
  return { entry };
}

/**
 * Whether a directory entry may log in, and with which role and groups: the one check shared by
 * the login and by "test a policy" (disabled, no unique id or e-mail, no mapped group).
 */
export async function entryAccess(dir: Directory, s: LdapSettings, entry: DirectoryEntry): Promise<{ reason: string } | { user: DirectoryUser & { uniqueId: string; email: string }; access: MappedAccess }> {
  const user = await toDirectoryUser(dir, s, entry, await isDisabled(dir, s, entry));
  if (user.disabled) return { reason: 'disabled_in_directory' };
  if (!user.uniqueId) return { reason: 'entry_has_no_unique_id' };
  if (!user.email) return { reason: 'entry_has_no_email' };
  const access = mapAccess(s, user.groups);
  if (!access) return { reason: 'no_mapped_group' };
  return { user: { ...user, uniqueId: user.uniqueId, email: user.email }, access };
}

/** Checks the entry is usable and maps it onto a local account. */
async function provision(host: PluginHost, dir: Directory, s: LdapSettings, entry: DirectoryEntry): Promise<AuthenticationResult> {
  const checked = await entryAccess(dir, s, entry);
  if ('reason' in checked) return rejected(checked.reason);
  const { user, access } = checked;
  const source = { uniqueId: user.uniqueId, dn: user.dn, email: user.email, displayName: user.displayName };
  const { outcome, userId } = await upsertAccount(host, source, access);
  if (outcome === 'conflict' || !userId) return rejected('email_belongs_to_another_account');
  if (outcome !== 'unchanged') {
    await host.audit.record({ action: `ldap.account_${outcome}`, outcome: 'info', actorId: userId, actorEmail: user.email, targetType: 'user', targetId: userId, details: { dn: user.dn, role: access.role, groups: access.groups, via: 'login' } });
  }
  return { outcome: 'authenticated', userId };
}

/** Audits a refusal (the login route audits the login itself) and logs directory trouble for admins. */
async function audited(host: PluginHost, credentials: Credentials, result: AuthenticationResult, error?: unknown): Promise<AuthenticationResult> {
  if (error) host.logger.warn({ plugin: 'ldap', err: error instanceof DirectoryError ? { kind: error.kind, message: error.message, detail: error.detail } : String(error) }, 'directory login check failed');
  if (result.outcome === 'rejected') {
    await host.audit.record({
      action: 'ldap.authenticate', outcome: 'failure', actorId: result.userId ?? null, actorEmail: credentials.login.trim().slice(0, 320), ip: credentials.ip, details: { reason: result.reason },
    });
  }
  return result;
}
