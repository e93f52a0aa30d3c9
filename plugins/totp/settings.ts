import { z } from 'zod';
import { roles } from '../../core/auth/roles.js';
import type { DB } from '../../core/db/open.js';
import type { AccountFacts } from '../../core/policy/types.js';

/** The TOTP plugin's settings: who must use a second factor. Everyone else may opt in. */
export const totpSettings = z.object({
  /** Roles whose accounts must have TOTP (they enrol at their next login). */
  requiredRoles: z.array(z.enum(roles)).default([]),
  /** Technician groups (by id or by name) whose members must have TOTP. */
  requiredGroups: z.array(z.string().trim().min(1).max(200)).default([]),
}).strict();

/** Validated TOTP settings. */
export type TotpSettings = z.output<typeof totpSettings>;

/** Whether the settings require a second factor of this account (role, or membership of a listed group by id or name). */
export async function mfaRequired(db: DB, actor: Pick<AccountFacts, 'role' | 'groups'>, settings: TotpSettings | null): Promise<boolean> {
  if (!settings) return false;
  if (settings.requiredRoles.includes(actor.role)) return true;
  if (settings.requiredGroups.length === 0 || actor.groups.length === 0) return false;
  if (actor.groups.some((id) => settings.requiredGroups.includes(id))) return true;
  const names = await db.selectFrom('technician_groups').select('name').where('id', 'in', actor.groups).execute();
  const wanted = new Set(settings.requiredGroups.map((g) => g.toLowerCase()));
  return names.some((g) => wanted.has(g.name.toLowerCase()));
}
