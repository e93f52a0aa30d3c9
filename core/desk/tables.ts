import type { Generated, Selectable } from 'kysely';

/** The service desk's tables (migration 2026-11-23T1600-desk); joined into `Database`. */
export interface DeskTables {
  desk_settings: { id: number; settings: string; updated_at: number };
  desk_incidents: DeskIncidentsTable;
  desk_comments: DeskCommentsTable;
  desk_attachments: DeskAttachmentsTable;
  desk_history: DeskHistoryTable;
  desk_problems: DeskProblemsTable;
  desk_changes: DeskChangesTable;
  desk_change_approvals: { change_id: string; approver_id: string; decision: string; comment: string; decided_at: number | null };
  desk_change_cis: { change_id: string; ci_id: string };
  desk_releases: DeskReleasesTable;
  desk_links: { id: string; from_type: string; from_id: string; to_type: string; to_id: string; created_by: string | null; created_at: number };
  desk_ci_types: { id: string; name: string; attributes: string; builtin: number; created_at: number; updated_at: number };
  desk_cis: DeskCisTable;
  desk_ci_relations: { id: string; from_id: string; to_id: string; kind: string; created_at: number };
  desk_kb_categories: { id: string; name: string; created_at: number };
  desk_kb_articles: DeskKbArticlesTable;
  desk_kb_votes: { article_id: string; user_id: string; helpful: number; at: number };
  desk_incident_sessions: { session_id: string; incident_id: string; created_by: string | null; created_at: number; summarized_at: number | null };
  desk_organisations: { id: string; name: string; share_tickets: number; created_at: number; updated_at: number };
  desk_organisation_members: { user_id: string; organisation_id: string };
}

/** An incident row; times are epoch ms. */
export interface DeskIncidentsTable {
  id: string;
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
  requester_id: string | null;
  group_id: string | null;
  assignee_id: string | null;
  problem_id: string | null;
  /** Start of the SLA clock: creation, or the last reopen for the resolution target. */
  sla_started_at: number;
  /** Time spent waiting on the customer (resolution clock stopped), before the current wait. */
  sla_paused_ms: Generated<number>;
  /** When the current wait on the customer began; null when not waiting. */
  sla_paused_at: number | null;
  responded_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A comment on an incident; `visibility` public or internal. */
export interface DeskCommentsTable {
  id: string;
  incident_id: string;
  author_id: string | null;
  author_name: string;
  author_staff: number;
  body: string;
  visibility: string;
  created_at: number;
}

/** An attachment's metadata; the bytes live in a file named `storage_name` under the data dir. */
export interface DeskAttachmentsTable {
  id: string;
  incident_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_name: string;
  visibility: string;
  uploaded_by: string | null;
  uploader_name: string;
  created_at: number;
}

/** One changed field of one desk object. */
export interface DeskHistoryTable {
  id: string;
  entity_type: string;
  entity_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  /** Order within the same millisecond. */
  seq: number;
}

/** A problem (root cause of one or more incidents). */
export interface DeskProblemsTable {
  id: string;
  number: number;
  title: string;
  description: string;
  root_cause: string;
  workaround: string;
  known_error: number;
  status: string;
  created_at: number;
  updated_at: number;
}

/** A change request. */
export interface DeskChangesTable {
  id: string;
  number: number;
  title: string;
  description: string;
  type: string;
  risk: string;
  planned_start: number | null;
  planned_end: number | null;
  status: string;
  release_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A release grouping changes. */
export interface DeskReleasesTable {
  id: string;
  number: number;
  name: string;
  version: string;
  description: string;
  status: string;
  planned_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A configuration item; `attributes` is JSON checked against its type. */
export interface DeskCisTable {
  id: string;
  name: string;
  type_id: string;
  status: string;
  attributes: string;
  source: string;
  /** For CIs from diagnostics: the machine's identity (sorted MACs or hostname). */
  match_key: string | null;
  created_at: number;
  updated_at: number;
}

/** A knowledge-base article in Markdown. */
export interface DeskKbArticlesTable {
  id: string;
  title: string;
  body_markdown: string;
  category_id: string | null;
  visibility: string;
  author_id: string | null;
  created_at: number;
  updated_at: number;
}

export type IncidentRow = Selectable<DeskIncidentsTable>;
export type CommentRow = Selectable<DeskCommentsTable>;
export type AttachmentRow = Selectable<DeskAttachmentsTable>;
