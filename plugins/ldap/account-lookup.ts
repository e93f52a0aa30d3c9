import type { PluginHost } from '../../core/policy/host.js';
import type { AccountLookup } from '../../core/policy/types.js';
import { findLinked } from './accounts.js';
import { entryAccess } from './authenticate.js';
import { DirectoryError, openDirectory } from './directory.js';
import { findUserEntries } from './lookup.js';
import { directoryOptions, serviceAccount, type LdapSettings } from './settings.js';

/**
 * "Test a policy" for a directory login: finds the entry with the service account and applies the
 * login's own entry check (entryAccess), without a password, a bind as the user or any write.
 * Without a service account the directory cannot be asked, and the answer says so.
 */
export async function lookupInDirectory(host: PluginHost, s: LdapSettings, login: string): Promise<AccountLookup> {
  const service = serviceAccount(s);
  if (!service) return { outcome: 'rejected', reason: 'directory_needs_password_to_check' };
  const dir = await openDirectory(directoryOptions(s));
  try {
    await dir.bind(service.dn, service.password);
    const entries = await findUserEntries(dir, s, login.trim());
    if (entries.length === 0) return { outcome: 'unknown' };
    if (entries.length > 1) return { outcome: 'rejected', reason: 'ambiguous_login' };
    const checked = await entryAccess(dir, s, entries[0]!);
    if ('reason' in checked) return { outcome: 'rejected', reason: checked.reason };
    const linked = await findLinked(host, checked.user.uniqueId);
    // The role and groups the login would give (it rewrites the local account from the directory).
    return { outcome: 'found', account: { id: linked?.user.id ?? '', email: checked.user.email, role: checked.access.role, groups: checked.access.groups } };
  } catch (error) {
    return { outcome: 'rejected', reason: error instanceof DirectoryError ? `directory_${error.kind}` : 'directory_error' };
  } finally {
    await dir.close();
  }
}
