import type { DB } from '../db/open.js';
import type { Role } from '../auth/roles.js';

/** Who does something on the desk: an account (staff or customer) or the system itself. */
export interface DeskActor {
  id: string | null;
  name: string;
  email: string | null;
  role: Role | 'system';
  ip: string | null;
}

/** The appliance itself, for automatic entries (session summaries). */
export const systemActor: DeskActor = { id: null, name: 'RescueBox', email: null, role: 'system', ip: null };

/** Whether an actor works on the staff side. */
export const isStaff = (actor: DeskActor): boolean => actor.role !== 'customer';

/** Builds an actor from an account id (display name looked up). */
export async function actorFor(db: DB, user: { userId: string; email: string; role: Role }, ip: string | null): Promise<DeskActor> {
  const row = await db.selectFrom('users').select('display_name').where('id', '=', user.userId).executeTakeFirst();
  return { id: user.userId, name: row?.display_name || user.email, email: user.email, role: user.role, ip };
}
