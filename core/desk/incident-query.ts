import type { DB } from '../db/open.js';
import { fullText } from './search/index.js';
import { computeSla, slaInput } from './sla.js';
import type { DeskSettings } from './settings.js';
import type { IncidentRow } from './tables.js';
import { openStatuses } from './workflow.js';

/** Filters of the technician's incident list. */
export interface IncidentFilter {
  status?: string[] | undefined;
  priority?: number[] | undefined;
  groupId?: string | undefined;
  assigneeId?: string | undefined;
  requesterId?: string | undefined;
  category?: string | undefined;
  breached?: boolean | undefined;
  q?: string | undefined;
  sort?: 'updated' | 'created' | 'priority' | 'due' | undefined;
  limit: number;
  offset: number;
}

const MAX_SEARCH_HITS = 1000;

function isBreached(settings: DeskSettings, r: IncidentRow, now: number): boolean {
  const sla = computeSla(settings, slaInput(r), now);
  return sla.responseBreached || sla.resolutionBreached;
}

/**
 * Incidents matching the filter, one page, with the total. `assigneeId`/`groupId` take `none`;
 * `me` is resolved by the caller. Breach filtering and the due-date sort happen after the query
 * because SLA targets come from settings, not columns.
 */
export async function queryIncidents(db: DB, settings: DeskSettings, filter: IncidentFilter, now: number): Promise<{ rows: IncidentRow[]; total: number }> {
  let query = db.selectFrom('desk_incidents').selectAll();
  if (filter.status?.length) query = query.where('status', 'in', filter.status);
  if (filter.priority?.length) query = query.where('priority', 'in', filter.priority);
  if (filter.groupId) query = filter.groupId === 'none' ? query.where('group_id', 'is', null) : query.where('group_id', '=', filter.groupId);
  if (filter.assigneeId) query = filter.assigneeId === 'none' ? query.where('assignee_id', 'is', null) : query.where('assignee_id', '=', filter.assigneeId);
  if (filter.requesterId) query = query.where('requester_id', '=', filter.requesterId);
  if (filter.category) query = query.where('category', '=', filter.category);
  let order: string[] | null = null;
  if (filter.q?.trim()) {
    order = await fullText.search(db, 'incident', filter.q, MAX_SEARCH_HITS);
    if (order.length === 0) return { rows: [], total: 0 };
    query = query.where('id', 'in', order);
  }
  if (!order && !filter.breached && filter.sort !== 'due') {
    // The common case pages in SQL; only breach filtering and the due-date sort need every row.
    const { total } = await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const sorted = filter.sort === 'created' ? query.orderBy('created_at', 'desc') : filter.sort === 'priority' ? query.orderBy('priority').orderBy('updated_at', 'desc') : query.orderBy('updated_at', 'desc');
    return { rows: await sorted.orderBy('number', 'desc').limit(filter.limit).offset(filter.offset).execute(), total: Number(total) };
  }
  let rows = await query.execute();
  if (filter.breached) rows = rows.filter((r) => openStatuses.includes(r.status as never) && isBreached(settings, r, now));
  rows.sort(comparator(filter, settings, order, now));
  return { rows: rows.slice(filter.offset, filter.offset + filter.limit), total: rows.length };
}

function comparator(filter: IncidentFilter, settings: DeskSettings, order: string[] | null, now: number): (a: IncidentRow, b: IncidentRow) => number {
  if (order && !filter.sort) {
    const rank = new Map(order.map((id, i) => [id, i]));
    return (a, b) => rank.get(a.id)! - rank.get(b.id)!;
  }
  const due = (r: IncidentRow) => computeSla(settings, slaInput(r), now).resolutionDueAt;
  switch (filter.sort) {
    case 'created': return (a, b) => b.created_at - a.created_at;
    case 'priority': return (a, b) => a.priority - b.priority || b.updated_at - a.updated_at;
    case 'due': return (a, b) => due(a) - due(b);
    default: return (a, b) => b.updated_at - a.updated_at;
  }
}

/** Per technician group (and "no group"): open, unassigned and breached incident counts. */
export async function queueCounts(db: DB, settings: DeskSettings, now: number): Promise<{ groupId: string | null; name: string | null; open: number; unassigned: number; breached: number }[]> {
  const groups = await db.selectFrom('technician_groups').select(['id', 'name']).orderBy('name').execute();
  const open = await db.selectFrom('desk_incidents').selectAll().where('status', 'in', [...openStatuses]).execute();
  const queues = [...groups.map((g) => ({ groupId: g.id as string | null, name: g.name as string | null })), { groupId: null, name: null }];
  return queues.map((q) => {
    const mine = open.filter((r) => r.group_id === q.groupId);
    return { ...q, open: mine.length, unassigned: mine.filter((r) => r.assignee_id === null).length, breached: mine.filter((r) => isBreached(settings, r, now)).length };
  });
}

