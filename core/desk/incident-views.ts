import type { DB } from '../db/open.js';
import { namesOf } from './references.js';
import { computeSla, slaInput, type SlaView } from './sla.js';
import type { DeskSettings } from './settings.js';
import type { AttachmentRow, CommentRow, IncidentRow } from './tables.js';

type Person = { id: string; email: string; displayName: string };

/** An incident as staff see it. */
export interface DeskIncident {
  id: string;
  ref: string;
  number: number;
  title: string;
  description: string;
  category: string;
  impact: string;
  urgency: string;
  priority: number;
  status: string;
  resolution: string | null;
  source: string;
  requester: Person | null;
  groupId: string | null;
  groupName: string | null;
  assignee: Person | null;
  problemId: string | null;
  sla: SlaView;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
}

/**
 * An incident as a portal user sees it. This is the complete allow-list: anything not named
 * here (assignment, SLA, problem, history) never reaches a customer.
 */
export interface PortalIncident {
  id: string;
  ref: string;
  title: string;
  description: string;
  category: string;
  impact: string;
  urgency: string;
  priority: number;
  status: string;
  resolution: string | null;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  /** Whether the viewer filed it (false: a colleague's ticket shared by their organisation). */
  mine: boolean;
}

/** Staff view of many incidents (names looked up once). */
export async function toDeskIncidents(db: DB, settings: DeskSettings, rows: IncidentRow[], now: number): Promise<DeskIncident[]> {
  const people = await namesOf(db, rows.flatMap((r) => [r.requester_id, r.assignee_id]));
  const groupIds = [...new Set(rows.map((r) => r.group_id).filter((g): g is string => g !== null))];
  const groups = groupIds.length === 0 ? [] : await db.selectFrom('technician_groups').select(['id', 'name']).where('id', 'in', groupIds).execute();
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return rows.map((r) => ({
    id: r.id, ref: `INC-${r.number}`, number: r.number, title: r.title, description: r.description, category: r.category, impact: r.impact, urgency: r.urgency,
    priority: r.priority, status: r.status, resolution: r.resolution, source: r.source,
    requester: r.requester_id ? people.get(r.requester_id) ?? null : null, groupId: r.group_id, groupName: r.group_id ? groupName.get(r.group_id) ?? null : null,
    assignee: r.assignee_id ? people.get(r.assignee_id) ?? null : null, problemId: r.problem_id,
    sla: computeSla(settings, slaInput(r), now),
    createdAt: r.created_at, updatedAt: r.updated_at, resolvedAt: r.resolved_at, closedAt: r.closed_at,
  }));
}

/** Staff view of one incident. */
export async function toDeskIncident(db: DB, settings: DeskSettings, row: IncidentRow, now: number): Promise<DeskIncident> {
  return (await toDeskIncidents(db, settings, [row], now))[0]!;
}

/** Portal view of an incident for one viewer: public fields only, copied one by one. */
export function toPortalIncident(r: IncidentRow, viewerId: string): PortalIncident {
  return {
    mine: r.requester_id === viewerId,
    id: r.id, ref: `INC-${r.number}`, title: r.title, description: r.description, category: r.category, impact: r.impact, urgency: r.urgency,
    priority: r.priority, status: r.status, resolution: r.resolution, createdAt: r.created_at, updatedAt: r.updated_at, resolvedAt: r.resolved_at, closedAt: r.closed_at,
  };
}

/** A comment as staff see it. */
export const toDeskComment = (c: CommentRow) => ({
  id: c.id, body: c.body, visibility: c.visibility, author: { id: c.author_id, displayName: c.author_name, staff: c.author_staff === 1 }, createdAt: c.created_at,
});

/** A public comment as a portal user sees it (callers pass public comments only). */
export const toPortalComment = (c: CommentRow) => ({ id: c.id, body: c.body, author: { displayName: c.author_name, staff: c.author_staff === 1 }, createdAt: c.created_at });

/** An attachment as staff see it. */
export const toDeskAttachment = (a: AttachmentRow) => ({
  id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, visibility: a.visibility, uploadedBy: { id: a.uploaded_by, displayName: a.uploader_name }, createdAt: a.created_at,
});

/** A public attachment as a portal user sees it. */
export const toPortalAttachment = (a: AttachmentRow) => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, createdAt: a.created_at });
