import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';

/** A customer organisation as the API shows it. */
export interface Organisation {
  id: string;
  name: string;
  shareTickets: boolean;
  memberIds: string[];
}

/** Organisations with their members, by name. */
export async function listOrganisations(db: DB): Promise<Organisation[]> {
  const orgs = await db.selectFrom('desk_organisations').selectAll().orderBy('name').execute();
  const members = await db.selectFrom('desk_organisation_members').selectAll().execute();
  return orgs.map((o) => ({ id: o.id, name: o.name, shareTickets: o.share_tickets === 1, memberIds: members.filter((m) => m.organisation_id === o.id).map((m) => m.user_id) }));
}

async function setMembers(db: DB, orgId: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length) {
    const rows = await db.selectFrom('users').select(['id', 'role']).where('id', 'in', unique).execute();
    const customers = new Set(rows.filter((r) => r.role === 'customer').map((r) => r.id));
    const wrong = unique.filter((id) => !customers.has(id));
    if (wrong.length) throw new ApiError('invalid_request', 'Members must be customer accounts.', { field: 'memberIds', ids: wrong });
  }
  await db.deleteFrom('desk_organisation_members').where('organisation_id', '=', orgId).execute();
  // A customer belongs to one organisation: joining this one leaves the previous.
  if (unique.length) await db.deleteFrom('desk_organisation_members').where('user_id', 'in', unique).execute();
  if (unique.length) await db.insertInto('desk_organisation_members').values(unique.map((user_id) => ({ user_id, organisation_id: orgId }))).execute();
}

/** Creates or changes an organisation; `memberIds` replaces the member list. */
export async function saveOrganisation(db: DB, clock: Clock, input: { name?: string | undefined; shareTickets?: boolean | undefined; memberIds?: string[] | undefined }, id?: string): Promise<Organisation> {
  if (input.name) {
    const taken = await db.selectFrom('desk_organisations').select('id').where('name', '=', input.name).executeTakeFirst();
    if (taken && taken.id !== id) throw new ApiError('conflict', 'An organisation with this name exists.', { reason: 'duplicate' });
  }
  const now = clock.now();
  let orgId = id;
  if (!orgId) {
    if (!input.name) throw new ApiError('invalid_request', 'An organisation needs a name.');
    orgId = newId();
    await db.insertInto('desk_organisations').values({ id: orgId, name: input.name, share_tickets: input.shareTickets ? 1 : 0, created_at: now, updated_at: now }).execute();
  } else {
    const result = await db.updateTable('desk_organisations').set({
      ...(input.name && { name: input.name }), ...(input.shareTickets !== undefined && { share_tickets: input.shareTickets ? 1 : 0 }), updated_at: now,
    }).where('id', '=', orgId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new ApiError('not_found', 'No such organisation.');
  }
  if (input.memberIds) await setMembers(db, orgId, input.memberIds);
  return (await listOrganisations(db)).find((o) => o.id === orgId)!;
}

/** Deletes an organisation (its members keep their accounts and own tickets). */
export async function deleteOrganisation(db: DB, id: string): Promise<boolean> {
  const result = await db.deleteFrom('desk_organisations').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Whose tickets a portal user may read: their own, plus their organisation's members' when the
 * organisation shares tickets.
 */
export async function readableRequesters(db: DB, userId: string): Promise<string[]> {
  const org = await db.selectFrom('desk_organisation_members').innerJoin('desk_organisations', 'desk_organisations.id', 'desk_organisation_members.organisation_id')
    .select(['desk_organisations.id', 'desk_organisations.share_tickets']).where('desk_organisation_members.user_id', '=', userId).executeTakeFirst();
  if (!org || org.share_tickets !== 1) return [userId];
  const members = await db.selectFrom('desk_organisation_members').select('user_id').where('organisation_id', '=', org.id).execute();
  return [...new Set([userId, ...members.map((m) => m.user_id)])];
}
