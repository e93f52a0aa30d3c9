import type { z } from 'zod';
import type { PluginHost } from '../../core/policy/host.js';
import { definePlugin, type PolicyPlugin } from '../../core/policy/plugin.js';
import { ApiError } from '../../core/http/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { lookupInDirectory } from './account-lookup.js';
import { authenticateWithDirectory } from './authenticate.js';
import { testConnection } from './connection-test.js';
import { ldapSettings, type LdapSettings } from './settings.js';
import { runSync, scheduleSync, type SyncReport } from './sync.js';

const accountAdmins = { roles: ['account_admin'] } as const;

/**
 * LDAP / Active Directory: logins with directory credentials (bind as the user, directly or
 * after a service-account search), over StartTLS or LDAPS with a configurable CA; directory
 * groups mapped to roles and technician groups; a scheduled and on-demand user sync that
 * creates, updates and disables the local accounts the directory owns.
 */
export default function ldapPlugin(host: PluginHost): PolicyPlugin<LdapSettings> {
  let running: Promise<SyncReport> | null = null;
  /** One sync at a time, whether the schedule or an admin started it. */
  const syncOnce = (s: LdapSettings, actor: { id: string | null; email: string | null; ip: string | null }): Promise<SyncReport> | null => {
    if (running) return null;
    running = runSync(host, s, actor).finally(() => { running = null; });
    return running;
  };
  const settingsNow = (): LdapSettings => {
    const s = host.activeSettings<LdapSettings>('ldap');
    if (!s) throw new ApiError('not_found', 'The plugin ldap is switched off.');
    return s;
  };

  return definePlugin<LdapSettings>({
    id: 'ldap',
    name: 'LDAP / Active Directory',
    description: 'Log in with directory credentials; directory groups give roles and technician groups; a user sync creates, updates and disables accounts.',
    settings: ldapSettings as unknown as z.ZodType<LdapSettings>,
    hooks: {},
    // Search, two binds and group lookups against a remote directory need more than the default 3 s.
    timeoutMs: 15_000,
    secretSettings: ['servicePassword'],
    authenticate: (credentials, s) => authenticateWithDirectory(host, s, credentials),
    lookup: (login, s) => lookupInDirectory(host, s, login),
    start: () => scheduleSync(host, (s) => syncOnce(s, { id: null, email: null, ip: null }) ?? Promise.resolve()),
    routes: [
      defineRoute({
        method: 'post', path: '/api/v1/plugins/ldap/sync', tag: 'plugins', access: accountAdmins,
        summary: 'Run the LDAP user sync now: creates, updates and disables the accounts the directory owns.',
        responses: { 200: 'The sync report: { ok, message?, entries, created, updated, unchanged, disabled, skipped, keptLastAdmin }', 404: 'The plugin is switched off', 409: 'A sync is already running' },
        handler: async (c, { principal }) => {
          const run = syncOnce(settingsNow(), { id: principal!.userId, email: principal!.email, ip: c.get('clientIp') });
          if (!run) throw new ApiError('conflict', 'A user sync is already running.');
          return c.json(await run);
        },
      }),
      defineRoute({
        method: 'post', path: '/api/v1/plugins/ldap/test', tag: 'plugins', access: accountAdmins,
        summary: 'Test the saved LDAP settings: connect (with TLS as configured), bind the service account, read the base DN.',
        responses: { 200: '{ ok, message, steps }', 404: 'The plugin is switched off' },
        handler: async (c, { principal }) => {
          const result = await testConnection(settingsNow());
          await host.audit.record({ action: 'ldap.test', outcome: result.ok ? 'success' : 'failure', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { message: result.message } });
          return c.json(result);
        },
      }),
    ],
  });
}
