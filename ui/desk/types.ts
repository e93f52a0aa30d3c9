/** The service desk's objects as the staff API (/api/v1/desk) answers them (docs/service-desk-api.md). */

export const incidentStatuses = ['new', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];
export const levels = ['high', 'medium', 'low'] as const;
export type Level = (typeof levels)[number];
export const priorities = [1, 2, 3, 4] as const;
export type Priority = (typeof priorities)[number];
export type Visibility = 'public' | 'internal';

/** The status moves the server allows (reopen is its own call); the UI offers only these. */
export const transitions: Record<IncidentStatus, IncidentStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved', 'closed'],
  assigned: ['new', 'in_progress', 'waiting_on_customer', 'resolved'],
  in_progress: ['assigned', 'waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  resolved: ['closed'],
  closed: [],
};

/** An account as the desk shows it. */
export interface Person {
  id: string | null;
  email?: string;
  displayName: string;
}

/** Response and resolution targets: due times, time left (negative when overdue, null once met), breach flags. */
export interface Sla {
  responseDueAt: number;
  resolutionDueAt: number;
  respondedAt: number | null;
  resolvedAt: number | null;
  responseLeftMs: number | null;
  resolutionLeftMs: number | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
}

/** An incident with its internal fields (staff only). */
export interface Incident {
  id: string;
  ref: string;
  number: number;
  title: string;
  description: string;
  category: string;
  impact: Level;
  urgency: Level;
  priority: Priority;
  status: IncidentStatus;
  resolution: string | null;
  source: 'desk' | 'portal';
  requester: Person;
  groupId: string | null;
  groupName: string | null;
  assignee: Person | null;
  problemId: string | null;
  sla: Sla;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
}

/** A comment on an incident; internal ones are for staff only. */
export interface DeskComment {
  id: string;
  body: string;
  visibility: Visibility;
  author: Person & { staff: boolean };
  createdAt: number;
}

/** A file attached to an incident. */
export interface DeskAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  visibility: Visibility;
  uploadedBy: Person;
  createdAt: number;
}

/** One change of one field. */
export interface HistoryEntry {
  id: string;
  at: number;
  actor: Person | null;
  field: string;
  oldValue: string | number | null;
  newValue: string | number | null;
}

export const linkTypes = ['incident', 'problem', 'change', 'release', 'ci', 'kb_article'] as const;
export type LinkType = (typeof linkTypes)[number];

/** A link as seen from the object being read: the other end. */
export interface DeskLink {
  id: string;
  type: LinkType;
  targetId: string;
  title: string;
  createdAt: number;
}

/** Everything the incident page shows. */
export interface IncidentDetail {
  incident: Incident;
  comments: DeskComment[];
  attachments: DeskAttachment[];
  links: DeskLink[];
  sessions: { sessionId: string; createdAt: number; status: string; endedAt: number | null }[];
}

/** One queue per technician group (groupId null: no group). */
export interface Queue {
  groupId: string | null;
  name: string;
  open: number;
  unassigned: number;
  breached: number;
}

/** People and groups for the pickers. */
export interface Directory {
  groups: { id: string; name: string }[];
  technicians: { id: string; email: string; displayName: string; groupIds: string[] }[];
  customers: { id: string; email: string; displayName: string }[];
}

/** The desk's settings: categories, priority matrix, SLA targets. */
export interface DeskSettings {
  priorityMatrix: Record<Level, Record<Level, Priority>>;
  sla: Record<string, { responseMinutes: number; resolutionMinutes: number }>;
  incidentCategories: string[];
}

export const problemStatuses = ['open', 'investigating', 'resolved', 'closed'] as const;
/** A problem: the cause behind incidents. */
export interface Problem {
  id: string;
  ref: string;
  title: string;
  description: string;
  rootCause: string;
  workaround: string;
  knownError: boolean;
  status: (typeof problemStatuses)[number];
  createdAt: number;
  updatedAt: number;
}

export const changeTypes = ['standard', 'normal', 'emergency'] as const;
export const changeStatuses = ['draft', 'pending_approval', 'approved', 'rejected', 'implementing', 'implemented', 'closed', 'cancelled'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];
/** A change with its approvals. */
export interface Change {
  id: string;
  ref: string;
  title: string;
  description: string;
  type: (typeof changeTypes)[number];
  risk: Level;
  plannedStart: number | null;
  plannedEnd: number | null;
  status: ChangeStatus;
  approvals: { approverId: string; displayName: string; decision: 'pending' | 'approved' | 'rejected'; comment: string | null; decidedAt: number | null }[];
  ciIds: string[];
  releaseId: string | null;
  createdAt: number;
  updatedAt: number;
}

export const releaseStatuses = ['planned', 'in_progress', 'deployed', 'closed', 'cancelled'] as const;
/** A release grouping changes. */
export interface Release {
  id: string;
  ref: string;
  name: string;
  version: string;
  description: string;
  status: (typeof releaseStatuses)[number];
  plannedAt: number | null;
  changeIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** A CI type and the attributes its CIs carry. */
export interface CiType {
  id: string;
  name: string;
  attributes: { key: string; label: string; type: 'string' | 'number' | 'boolean' | 'date'; required: boolean }[];
}

export const ciStatuses = ['active', 'inactive', 'retired'] as const;
/** A configuration item. */
export interface Ci {
  id: string;
  name: string;
  typeId: string;
  typeName: string;
  status: (typeof ciStatuses)[number];
  attributes: Record<string, unknown>;
  source: 'manual' | 'diagnostics';
  createdAt: number;
  updatedAt: number;
}

/** A relation of a CI, seen from that CI. */
export interface CiRelation {
  id: string;
  kind: 'depends_on' | 'runs_on';
  direction: 'out' | 'in';
  ci: { id: string; name: string; typeName: string } | null;
}

/** A KB category. */
export interface KbCategory {
  id: string;
  name: string;
}

/** A KB article; `html` is rendered and sanitized by the server. */
export interface Article {
  id: string;
  title: string;
  bodyMarkdown: string;
  html: string;
  categoryId: string | null;
  categoryName: string | null;
  visibility: Visibility;
  helpfulYes: number;
  helpfulNo: number;
  authorId?: string;
  createdAt: number;
  updatedAt: number;
}

/** A KB search hit; `excerpt` is plain text. */
export interface ArticleSummary {
  id: string;
  title: string;
  excerpt: string;
  categoryId: string | null;
  categoryName: string | null;
  visibility: Visibility;
  helpfulYes: number;
  helpfulNo: number;
  updatedAt: number;
}

/** What the upload endpoints take: the file as base64 inside JSON. */
export interface UploadBody {
  filename: string;
  contentType: string;
  dataBase64: string;
}
