import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../support/secrets.js';

/** Kinds of desk objects that can be linked to each other. */
export const linkTypes = ['incident', 'problem', 'change', 'release', 'ci', 'kb_article'] as const;
export type LinkType = (typeof linkTypes)[number];

/** A link as seen from one end: the other end's type, id and title. */
export interface LinkView {
  id: string;
  type: LinkType;
  targetId: string;
  title: string;
  createdAt: number;
}

/** A human title of any linkable object, or null when it does not exist. */
export async function titleOf(db: DB, type: LinkType, id: string): Promise<string | null> {
  switch (type) {
    case 'incident': { const r = await db.selectFrom('desk_incidents').select(['number', 'title']).where('id', '=', id).executeTakeFirst(); return r ? `INC-${r.number} ${r.title}` : null; }
    case 'problem': { const r = await db.selectFrom('desk_problems').select(['number', 'title']).where('id', '=', id).executeTakeFirst(); return r ? `PRB-${r.number} ${r.title}` : null; }
    case 'change': { const r = await db.selectFrom('desk_changes').select(['number', 'title']).where('id', '=', id).executeTakeFirst(); return r ? `CHG-${r.number} ${r.title}` : null; }
    case 'release': { const r = await db.selectFrom('desk_releases').select(['number', 'name', 'version']).where('id', '=', id).executeTakeFirst(); return r ? `REL-${r.number} ${r.name} ${r.version}` : null; }
    case 'ci': { const r = await db.selectFrom('desk_cis').select('name').where('id', '=', id).executeTakeFirst(); return r ? r.name : null; }
    case 'kb_article': { const r = await db.selectFrom('desk_kb_articles').select('title').where('id', '=', id).executeTakeFirst(); return r ? r.title : null; }
  }
}

/** Links a pair of objects (either order counts as the same link). */
export async function createLink(db: DB, from: { type: LinkType; id: string }, to: { type: LinkType; id: string }, createdBy: string | null, now: number): Promise<string> {
  if (from.type === to.type && from.id === to.id) throw new ApiError('invalid_request', 'An object cannot be linked to itself.');
  for (const end of [from, to]) {
    if ((await titleOf(db, end.type, end.id)) === null) throw new ApiError('invalid_request', `Unknown ${end.type}.`, { field: end === from ? 'fromId' : 'toId' });
  }
  const existing = await db.selectFrom('desk_links').select('id')
    .where((eb) => eb.or([
      eb.and([eb('from_type', '=', from.type), eb('from_id', '=', from.id), eb('to_type', '=', to.type), eb('to_id', '=', to.id)]),
      eb.and([eb('from_type', '=', to.type), eb('from_id', '=', to.id), eb('to_type', '=', from.type), eb('to_id', '=', from.id)]),
    ])).executeTakeFirst();
  if (existing) throw new ApiError('conflict', 'These objects are already linked.', { reason: 'duplicate' });
  const id = newId();
  await db.insertInto('desk_links').values({ id, from_type: from.type, from_id: from.id, to_type: to.type, to_id: to.id, created_by: createdBy, created_at: now }).execute();
  return id;
}

/** Every link touching an object, seen from it. */
export async function linksOf(db: DB, type: LinkType, id: string): Promise<LinkView[]> {
  const rows = await db.selectFrom('desk_links').selectAll()
    .where((eb) => eb.or([eb.and([eb('from_type', '=', type), eb('from_id', '=', id)]), eb.and([eb('to_type', '=', type), eb('to_id', '=', id)])]))
    .orderBy('created_at').execute();
  const views: LinkView[] = [];
  for (const r of rows) {
    const outgoing = r.from_type === type && r.from_id === id;
    const otherType = (outgoing ? r.to_type : r.from_type) as LinkType;
    const otherId = outgoing ? r.to_id : r.from_id;
    views.push({ id: r.id, type: otherType, targetId: otherId, title: (await titleOf(db, otherType, otherId)) ?? '(deleted)', createdAt: r.created_at });
  }
  return views;
}

/** Removes a link; false when there was none. */
export async function deleteLink(db: DB, id: string): Promise<boolean> {
  const result = await db.deleteFrom('desk_links').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes all links of an object that is being deleted. */
export async function deleteLinksOf(db: DB, type: LinkType, id: string): Promise<void> {
  await db.deleteFrom('desk_links').where((eb) => eb.or([eb.and([eb('from_type', '=', type), eb('from_id', '=', id)]), eb.and([eb('to_type', '=', type), eb('to_id', '=', id)])])).execute();
}

