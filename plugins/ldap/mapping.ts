import type { Role } from '../../core/auth/roles.js';
import { normaliseDn } from './ldap-text.js';
import type { LdapSettings } from './settings.js';

/** The role and technician groups a directory user gets here. */
export interface MappedAccess {
  role: Role;
  groups: string[];
}

/**
 * Maps a user's directory groups: the first role line (in list order) whose group the user is
 * in gives the role, else the default role; with neither, null (the user may not log in).
 * Technician groups are the union of every matching group line.
 */
export function mapAccess(s: LdapSettings, userGroups: ReadonlySet<string>): MappedAccess | null {
  const matchedRole = s.roleMapping.find((line) => userGroups.has(normaliseDn(line.group)))?.role;
  const role = matchedRole ?? s.defaultRole;
  if (!role) return null;
  const groups = new Set<string>();
  for (const line of s.groupMapping) {
    if (userGroups.has(normaliseDn(line.group))) line.groups.forEach((id) => groups.add(id));
  }
  return { role, groups: [...groups].sort() };
}
