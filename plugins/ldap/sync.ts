import type { PluginHost } from '../../core/policy/host.js';
import { disableAccount, listLinked, upsertAccount, type LinkedAccount } from './accounts.js';
import { DirectoryError, openDirectory, type Directory } from './directory.js';
import { normaliseDn } from './ldap-text.js';
import { listDisabledDns, listSyncEntries, toDirectoryUser, type DirectoryUser, type GroupCache } from './lookup.js';
import { mapAccess } from './mapping.js';
import { directoryOptions, serviceAccount, type LdapSettings } from './settings.js';

/** What one sync did. */
export interface SyncReport {
  ok: boolean;
  /** Why the sync stopped without changing anything (ok false). */
  message?: string;
  entries: number;
  created: number;
  updated: number;
  unchanged: number;
  disabled: number;
  /** Entries the sync could not use: no unique id, no e-mail, or an e-mail a local account owns. */
  skipped: number;
  /** Accounts that should have been disabled but are the last enabled account admin. */
  keptLastAdmin: number;
}

const emptyReport = (): SyncReport => ({ ok: true, entries: 0, created: 0, updated: 0, unchanged: 0, disabled: 0, skipped: 0, keptLastAdmin: 0 });

/**
 * Brings the local ldap accounts in line with the directory: creates and updates the mapped
 * users, and disables accounts whose entry was removed, disabled, or lost every mapped group
 * (ending their login sessions). Any directory error stops the sync before it disables anyone.
 */
export async function runSync(host: PluginHost, s: LdapSettings, actor: { id: string | null; email: string | null; ip: string | null }): Promise<SyncReport> {
  const report = emptyReport();
  const service = serviceAccount(s);
  if (!service) return finish(host, actor, { ...report, ok: false, message: 'The user sync needs a service account (serviceDn and its password).' });
  let dir: Directory;
  try {
    dir = await openDirectory(directoryOptions(s));
  } catch (error) {
    return finish(host, actor, { ...report, ok: false, message: messageOf(error) });
  }
  try {
    await dir.bind(service.dn, service.password);
    const users = await readAll(dir, s);
    const linked = await listLinked(host);
    // An empty answer is far likelier a wrong base DN or filter than a directory without users.
    if (users.length === 0 && linked.some((l) => l.user.enabled === 1)) {
      return finish(host, actor, { ...report, ok: false, message: 'The directory returned no users for the sync filter; nothing was disabled. Check baseDn and syncFilter.' });
    }
    report.entries = users.length;
    await apply(host, s, users, linked, report, actor);
    return finish(host, actor, report);
  } catch (error) {
    return finish(host, actor, { ...emptyReport(), ok: false, message: messageOf(error), ...partial(report) });
  } finally {
    await dir.close();
  }
}

/** Reads every sync entry with its groups before changing anything, so a failure changes nothing. */
async function readAll(dir: Directory, s: LdapSettings): Promise<DirectoryUser[]> {
  const entries = await listSyncEntries(dir, s);
  const disabled = await listDisabledDns(dir, s);
  const cache: GroupCache = new Map();
  const users: DirectoryUser[] = [];
  for (const entry of entries) users.push(await toDirectoryUser(dir, s, entry, disabled.has(normaliseDn(entry.dn)), cache));
  return users;
}

async function apply(host: PluginHost, s: LdapSettings, users: DirectoryUser[], linked: LinkedAccount[], report: SyncReport, actor: { id: string | null; ip: string | null }): Promise<void> {
  const byUniqueId = new Map(linked.map((l) => [l.link.unique_id, l]));
  const present = new Set<string>();
  for (const user of users) {
    if (!user.uniqueId) {
      report.skipped += 1;
      continue;
    }
    present.add(user.uniqueId);
    const access = user.disabled ? null : mapAccess(s, user.groups);
    const existing = byUniqueId.get(user.uniqueId);
    if (!access) {
      if (existing) await disable(host, existing, user.disabled ? 'disabled_in_directory' : 'no_mapped_group', report, actor);
      continue;
    }
    if (!user.email) {
      report.skipped += 1;
      continue;
    }
    const { outcome, userId } = await upsertAccount(host, { uniqueId: user.uniqueId, dn: user.dn, email: user.email, displayName: user.displayName }, access);
    if (outcome === 'conflict') report.skipped += 1;
    else report[outcome] += 1;
    if (outcome === 'created' || outcome === 'updated' || outcome === 'conflict') {
      await host.audit.record({
        action: `ldap.account_${outcome}`, outcome: outcome === 'conflict' ? 'failure' : 'info', actorId: actor.id, ip: actor.ip,
        targetType: 'user', targetId: userId, details: { dn: user.dn, email: user.email, role: access.role, groups: access.groups, via: 'sync' },
      });
    }
  }
  for (const account of linked) {
    if (!present.has(account.link.unique_id)) await disable(host, account, 'removed_from_directory', report, actor);
  }
}

async function disable(host: PluginHost, account: LinkedAccount, reason: string, report: SyncReport, actor: { id: string | null; ip: string | null }): Promise<void> {
  const result = await disableAccount(host, account);
  if (result === 'already') return;
  if (result === 'disabled') report.disabled += 1;
  else report.keptLastAdmin += 1;
  await host.audit.record({
    action: result === 'disabled' ? 'ldap.account_disabled' : 'ldap.account_kept', outcome: result === 'disabled' ? 'info' : 'failure',
    actorId: actor.id, ip: actor.ip, targetType: 'user', targetId: account.user.id,
    details: { reason: result === 'disabled' ? reason : 'last_enabled_account_admin', directoryReason: reason, dn: account.link.dn, email: account.user.email, via: 'sync' },
  });
}

/** Counts made before a failure part-way through applying (reading never changes anything). */
function partial(report: SyncReport): Partial<SyncReport> {
  const { created, updated, unchanged, disabled, skipped, keptLastAdmin, entries } = report;
  return { created, updated, unchanged, disabled, skipped, keptLastAdmin, entries };
}

async function finish(host: PluginHost, actor: { id: string | null; email?: string | null; ip: string | null }, report: SyncReport): Promise<SyncReport> {
  await host.audit.record({ action: 'ldap.sync', outcome: report.ok ? 'success' : 'failure', actorId: actor.id, actorEmail: actor.email ?? null, ip: actor.ip, details: { ...report } });
  if (!report.ok) host.logger.warn({ plugin: 'ldap', message: report.message }, 'LDAP user sync failed');
  return report;
}

/** A message an admin can act on, for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof DirectoryError) return error.detail && error.kind !== 'invalid_credentials' ? `${error.message} (${error.detail})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the sync every `syncIntervalMinutes` (read on each tick, so a change in the console
 * applies without a restart); one run at a time. Returns the stop function.
 */
export function scheduleSync(host: PluginHost, run: (s: LdapSettings) => Promise<unknown>, tickMs = 60_000): () => void {
  let lastRun = host.clock.now();
  let running = false;
  const timer = setInterval(() => {
    const s = host.activeSettings<LdapSettings>('ldap');
    if (!s || s.syncIntervalMinutes === 0 || running) return;
    if (host.clock.now() - lastRun < s.syncIntervalMinutes * 60_000) return;
    running = true;
    lastRun = host.clock.now();
    run(s).catch((error: unknown) => host.logger.error({ plugin: 'ldap', err: error }, 'scheduled LDAP sync failed'))
      .finally(() => { running = false; });
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
