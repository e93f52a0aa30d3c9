import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { roles } from '../../core/auth/roles.js';
import type { DirectoryOptions } from './directory.js';
import { parseFilter } from './filter-syntax.js';

const dn = z.string().trim().min(3).max(1024);
const filter = z.string().trim().min(3).max(2048).superRefine((f, ctx) => {
  try {
    parseFilter(f.replace(/\{(login|dn)\}/g, 'x'));
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not an LDAP filter (RFC 4515), e.g. (objectClass=person): ${(error as Error).message}` });
  }
});
const attribute = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'an attribute name such as mail');

/** Directory group → appliance role. The first matching line (in list order) gives the role. */
const roleMapping = z.object({ group: dn, role: z.enum(roles) }).strict();
/** Directory group → technician groups of the appliance (their ids); every matching line adds. */
const groupMapping = z.object({ group: dn, groups: z.array(z.string().trim().min(1).max(64)).min(1).max(100) }).strict();

const attributes = z.object({
  email: attribute.default('mail'),
  displayName: attribute.default('cn'),
  /** Never changes for an entry, even on rename: entryUUID (OpenLDAP), objectGUID (AD). */
  uniqueId: attribute.default('entryUUID'),
}).strict();

const groups = z.object({
  /** memberOf: read the user's memberOf attribute; search: find groups whose member is the user. */
  source: z.enum(['memberOf', 'search']).default('search'),
  memberOfAttribute: attribute.default('memberOf'),
  /** Where group searches look (search source, nesting); default: the user baseDn. */
  baseDn: dn.optional(),
  /** `{dn}` is the user's (or, when nesting, a group's) DN, escaped. */
  filter: filter.default('(|(member={dn})(uniqueMember={dn}))'),
  /** inChain: AD's LDAP_MATCHING_RULE_IN_CHAIN in one query; recursive: expand level by level (OpenLDAP). */
  nested: z.enum(['none', 'inChain', 'recursive']).default('none'),
  maxDepth: z.number().int().min(1).max(10).default(5),
}).strict();

/** The LDAP plugin's settings, as stored in config or set in the admin console. */
export const ldapSettings = z.object({
  url: z.string().trim().regex(/^ldaps?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/, 'use ldap://host[:port] or ldaps://host[:port]'),
  startTls: z.boolean().default(false),
  /** Plain ldap:// without StartTLS sends passwords in clear text: only with this explicit opt-in. */
  allowPlaintext: z.boolean().default(false),
  caPem: z.string().max(65_536).refine((p) => p.includes('-----BEGIN CERTIFICATE-----'), 'PEM certificate(s)').optional(),
  caFile: z.string().trim().min(1).max(4096).optional(),
  verifyCertificate: z.boolean().default(true),
  timeoutMs: z.number().int().min(500).max(60_000).default(5000),
  bindMode: z.enum(['search', 'direct']).default('search'),
  /** direct: `uid={login},ou=people,dc=example,dc=org` or `{login}@corp.example`. */
  userDnTemplate: z.string().trim().min(3).max(1024).optional(),
  serviceDn: dn.optional(),
  servicePassword: z.string().min(1).max(1024).optional(),
  /** A file holding the service password (kept out of the settings the console shows). */
  servicePasswordFile: z.string().trim().min(1).max(4096).optional(),
  baseDn: dn,
  /** `{login}` is what the user typed, escaped (RFC 4515). */
  userFilter: filter.default('(|(uid={login})(mail={login}))'),
  /** Which entries the user sync looks at (each is still mapped to a role or skipped). */
  syncFilter: filter.default('(objectClass=inetOrgPerson)'),
  /** Entries matching this filter count as disabled, e.g. (pwdAccountLockedTime=*). AD's userAccountControl is always checked. */
  disabledFilter: filter.optional(),
  attributes: attributes.prefault({}),
  groups: groups.prefault({}),
  roleMapping: z.array(roleMapping).max(200).default([]),
  groupMapping: z.array(groupMapping).max(200).default([]),
  /** Role for users in no mapped group; null refuses them ("deny when no mapped group"). */
  defaultRole: z.enum(roles).nullable().default(null),
  /** Minutes between scheduled user syncs; 0 switches the schedule off. */
  syncIntervalMinutes: z.number().int().min(0).max(10_080).default(0),
}).strict().superRefine((s, ctx) => {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const secure = s.url.toLowerCase().startsWith('ldaps://');
  if (secure && s.startTls) problem('startTls', 'ldaps:// is already TLS; StartTLS is for ldap:// only');
  if (!secure && !s.startTls && !s.allowPlaintext) problem('startTls', 'ldap:// sends passwords in clear: set startTls, use ldaps://, or set allowPlaintext');
  if (s.caPem && s.caFile) problem('caFile', 'give caPem or caFile, not both');
  if (s.servicePassword && s.servicePasswordFile) problem('servicePasswordFile', 'give servicePassword or servicePasswordFile, not both');
  const hasService = Boolean(s.serviceDn && (s.servicePassword || s.servicePasswordFile));
  if (s.serviceDn && !hasService) problem('servicePassword', 'the service account needs servicePassword or servicePasswordFile');
  if (s.bindMode === 'search' && !hasService) problem('serviceDn', 'bindMode "search" needs a service account (serviceDn and its password)');
  if (s.bindMode === 'direct' && !s.userDnTemplate?.includes('{login}')) problem('userDnTemplate', 'bindMode "direct" needs a userDnTemplate containing {login}');
  if (!s.userFilter.includes('{login}')) problem('userFilter', 'the user filter must contain {login}');
  if (s.syncIntervalMinutes > 0 && !hasService) problem('syncIntervalMinutes', 'the user sync needs a service account');
});

/** Validated settings. */
export type LdapSettings = z.output<typeof ldapSettings>;

/** Connection options from the settings (the CA file is read now, so a changed file applies at once). */
export function directoryOptions(s: LdapSettings): DirectoryOptions {
  return {
    url: s.url, startTls: s.startTls, verifyCertificate: s.verifyCertificate, timeoutMs: s.timeoutMs,
    caPem: s.caPem ?? (s.caFile ? readFileSync(s.caFile, 'utf8') : null),
  };
}

/** The service account, or null when none is configured. */
export function serviceAccount(s: LdapSettings): { dn: string; password: string } | null {
  if (!s.serviceDn) return null;
  const password = s.servicePassword ?? (s.servicePasswordFile ? readFileSync(s.servicePasswordFile, 'utf8').replace(/\r?\n$/, '') : '');
  return { dn: s.serviceDn, password };
}
