import type { Directory, DirectoryEntry } from './directory.js';
import { adDisabled, escapeFilterValue, fillTemplate, normaliseDn, textOf, textsOf, uniqueIdOf } from './ldap-text.js';
import type { LdapSettings } from './settings.js';

/** What the appliance needs to know about a directory user. */
export interface DirectoryUser {
  dn: string;
  uniqueId: string | null;
  email: string | null;
  displayName: string;
  disabled: boolean;
  /** Every group the user is in (nested ones too when configured), as normalised DNs. */
  groups: Set<string>;
}

/** Parents of a group DN, remembered across users during one sync. */
export type GroupCache = Map<string, string[]>;

/** AD's LDAP_MATCHING_RULE_IN_CHAIN: matches through every level of nesting in one query. */
export const IN_CHAIN = '1.2.840.113556.1.4.1941';
/** Bound on nested expansion, so a group cycle or a huge tree cannot stall a login. */
const MAX_GROUPS = 1000;

/** The attributes read from a user entry. */
export function userAttributes(s: LdapSettings): string[] {
  const wanted = [s.attributes.email, s.attributes.displayName, s.attributes.uniqueId, 'userAccountControl'];
  if (s.groups.source === 'memberOf') wanted.push(s.groups.memberOfAttribute);
  return [...new Set(wanted)];
}

/** Entries the user filter finds for what someone typed (at most 2: more than one is ambiguous). */
export function findUserEntries(dir: Directory, s: LdapSettings, login: string): Promise<DirectoryEntry[]> {
  const filter = fillTemplate(s.userFilter, { login }, escapeFilterValue);
  return dir.search({ base: s.baseDn, scope: 'sub', filter, attributes: userAttributes(s), sizeLimit: 2 });
}

/** Every entry the user sync looks at, read in pages. */
export function listSyncEntries(dir: Directory, s: LdapSettings): Promise<DirectoryEntry[]> {
  return dir.search({ base: s.baseDn, scope: 'sub', filter: s.syncFilter, attributes: userAttributes(s), paged: true });
}

/** DNs (normalised) of the sync entries that the disabled filter marks as disabled. */
export async function listDisabledDns(dir: Directory, s: LdapSettings): Promise<Set<string>> {
  if (!s.disabledFilter) return new Set();
  const entries = await dir.search({ base: s.baseDn, scope: 'sub', filter: `(&${s.syncFilter}${s.disabledFilter})`, attributes: ['1.1'], paged: true });
  return new Set(entries.map((e) => normaliseDn(e.dn)));
}

/** Whether one entry is disabled: AD's flag, or a match of the configured disabled filter. */
export async function isDisabled(dir: Directory, s: LdapSettings, entry: DirectoryEntry): Promise<boolean> {
  if (adDisabled(entry)) return true;
  if (!s.disabledFilter) return false;
  return (await dir.search({ base: entry.dn, scope: 'base', filter: s.disabledFilter, attributes: ['1.1'] })).length > 0;
}

/** Reads a user's profile and groups from an entry; `disabled` is decided by the caller's lookup. */
export async function toDirectoryUser(dir: Directory, s: LdapSettings, entry: DirectoryEntry, disabled: boolean, cache: GroupCache = new Map()): Promise<DirectoryUser> {
  return {
    dn: entry.dn,
    uniqueId: uniqueIdOf(entry, s.attributes.uniqueId),
    email: textOf(entry, s.attributes.email)?.trim().toLowerCase() || null,
    displayName: (textOf(entry, s.attributes.displayName) ?? '').trim().slice(0, 200),
    disabled: disabled || adDisabled(entry),
    groups: await groupsOf(dir, s, entry, cache),
  };
}

/** The user's groups: direct ones from memberOf or a group search, plus nested ones as configured. */
export async function groupsOf(dir: Directory, s: LdapSettings, entry: DirectoryEntry, cache: GroupCache): Promise<Set<string>> {
  const direct = s.groups.source === 'memberOf' ? textsOf(entry, s.groups.memberOfAttribute) : await groupsWithMember(dir, s, entry.dn, s.groups.filter);
  const found = new Set(direct.map(normaliseDn));
  if (s.groups.nested === 'inChain') {
    const chain = await groupsWithMember(dir, s, entry.dn, `(member:${IN_CHAIN}:={dn})`);
    for (const dn of chain) found.add(normaliseDn(dn));
  } else if (s.groups.nested === 'recursive') {
    await expandParents(dir, s, [...found], found, cache);
  }
  return found;
}

async function groupsWithMember(dir: Directory, s: LdapSettings, memberDn: string, template: string): Promise<string[]> {
  const filter = fillTemplate(template, { dn: memberDn }, escapeFilterValue);
  const entries = await dir.search({ base: s.groups.baseDn ?? s.baseDn, scope: 'sub', filter, attributes: ['1.1'], paged: true });
  return entries.map((e) => e.dn);
}

/** Breadth-first walk up the group tree, level by level, to maxDepth and at most MAX_GROUPS groups. */
async function expandParents(dir: Directory, s: LdapSettings, start: string[], found: Set<string>, cache: GroupCache): Promise<void> {
  let frontier = start;
  for (let depth = 0; depth < s.groups.maxDepth && frontier.length > 0 && found.size < MAX_GROUPS; depth += 1) {
    const next: string[] = [];
    for (const group of frontier) {
      for (const parent of await parentsOf(dir, s, group, cache)) {
        if (found.size >= MAX_GROUPS || found.has(parent)) continue;
        found.add(parent);
        next.push(parent);
      }
    }
    frontier = next;
  }
}

async function parentsOf(dir: Directory, s: LdapSettings, group: string, cache: GroupCache): Promise<string[]> {
  const cached = cache.get(group);
  if (cached) return cached;
  let parents: string[];
  if (s.groups.source === 'memberOf') {
    const [entry] = await dir.search({ base: group, scope: 'base', filter: '(objectClass=*)', attributes: [s.groups.memberOfAttribute] }).catch(() => []);
    parents = entry ? textsOf(entry, s.groups.memberOfAttribute) : [];
  } else {
    parents = await groupsWithMember(dir, s, group, s.groups.filter);
  }
  const normalised = parents.map(normaliseDn);
  cache.set(group, normalised);
  return normalised;
}
