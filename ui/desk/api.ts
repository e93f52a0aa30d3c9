import { request } from '../api/client.js';
import type {
  Article, ArticleSummary, Change, Ci, CiRelation, CiType, DeskAttachment, DeskComment, DeskLink, DeskSettings, Directory,
  HistoryEntry, Incident, IncidentDetail, IncidentStatus, KbCategory, LinkType, Level, Problem, Queue, Release, UploadBody, Visibility,
} from './types.js';

/** The staff side of the service desk (/api/v1/desk); every call needs the service_desk permission. */

const enc = encodeURIComponent;
const base = '/api/v1/desk';

/** A query string from the set fields (empty strings and undefined left out). */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The filters of an incident queue. */
export interface IncidentFilters {
  status?: string;
  priority?: string;
  groupId?: string;
  assigneeId?: string;
  category?: string;
  breached?: boolean;
  q?: string;
  sort?: 'updated' | 'created' | 'priority' | 'due';
  limit?: number;
  offset?: number;
}

/** What a technician may set on an incident. */
export interface IncidentPatch {
  title?: string;
  description?: string;
  category?: string;
  impact?: Level;
  urgency?: Level;
  groupId?: string | null;
  assigneeId?: string | null;
  status?: IncidentStatus;
  resolution?: string;
  problemId?: string | null;
}

/** A new incident taken on the phone. */
export interface IncidentInput {
  title: string;
  description: string;
  category: string;
  impact: Level;
  urgency: Level;
  requesterId: string;
  groupId?: string;
  assigneeId?: string;
}

/** Incidents, queues, comments, attachments, bulk actions and remote sessions. */
export const incidentsApi = {
  settings: () => request<{ settings: DeskSettings }>('GET', `${base}/settings`),
  saveSettings: (body: DeskSettings) => request<{ settings: DeskSettings }>('PUT', `${base}/settings`, body),
  directory: () => request<Directory>('GET', `${base}/directory`),
  queues: () => request<{ queues: Queue[] }>('GET', `${base}/queues`),
  list: (filters: IncidentFilters) => request<{ incidents: Incident[]; total: number }>('GET', `${base}/incidents${query({ ...filters })}`),
  create: (body: IncidentInput) => request<{ incident: Incident }>('POST', `${base}/incidents`, body),
  get: (id: string) => request<IncidentDetail>('GET', `${base}/incidents/${enc(id)}`),
  update: (id: string, body: IncidentPatch) => request<{ incident: Incident }>('PATCH', `${base}/incidents/${enc(id)}`, body),
  reopen: (id: string, reason?: string) => request<{ incident: Incident }>('POST', `${base}/incidents/${enc(id)}/reopen`, reason ? { reason } : {}),
  history: (id: string) => request<{ history: HistoryEntry[] }>('GET', `${base}/incidents/${enc(id)}/history`),
  comment: (id: string, body: string, visibility: Visibility) => request<{ comment: DeskComment }>('POST', `${base}/incidents/${enc(id)}/comments`, { body, visibility }),
  attach: (id: string, body: UploadBody & { visibility: Visibility }) => request<{ attachment: DeskAttachment }>('POST', `${base}/incidents/${enc(id)}/attachments`, body),
  attachmentUrl: (id: string, attachmentId: string) => `${base}/incidents/${enc(id)}/attachments/${enc(attachmentId)}`,
  bulk: (body: { ids: string[]; groupId?: string | null; assigneeId?: string | null; status?: IncidentStatus }) =>
    request<{ updated: string[]; failed: { id: string; error: string; reason?: string }[] }>('POST', `${base}/incidents/bulk`, body),
  remoteSession: (id: string) => request<{ session: { id: string; expiresAt: number }; pin: string }>('POST', `${base}/incidents/${enc(id)}/remote-session`, {}),
};

/** Problems, changes, releases and the links between all desk objects. */
export const itilApi = {
  problems: (filters: { status?: string; knownError?: boolean; q?: string }) => request<{ problems: Problem[]; total: number }>('GET', `${base}/problems${query(filters)}`),
  createProblem: (body: Partial<Problem>) => request<{ problem: Problem }>('POST', `${base}/problems`, body),
  problem: (id: string) => request<{ problem: Problem; incidents: Incident[]; links: DeskLink[]; history: HistoryEntry[] }>('GET', `${base}/problems/${enc(id)}`),
  updateProblem: (id: string, body: Partial<Problem>) => request<{ problem: Problem }>('PATCH', `${base}/problems/${enc(id)}`, body),
  changes: (filters: { status?: string; type?: string }) => request<{ changes: Change[]; total: number }>('GET', `${base}/changes${query(filters)}`),
  createChange: (body: Omit<ChangeInput, 'status'>) => request<{ change: Change }>('POST', `${base}/changes`, body),
  change: (id: string) => request<{ change: Change; links: DeskLink[]; history: HistoryEntry[] }>('GET', `${base}/changes/${enc(id)}`),
  updateChange: (id: string, body: Partial<ChangeInput>) => request<{ change: Change }>('PATCH', `${base}/changes/${enc(id)}`, body),
  approve: (id: string, decision: 'approved' | 'rejected', comment?: string) => request<{ change: Change }>('POST', `${base}/changes/${enc(id)}/approvals`, comment ? { decision, comment } : { decision }),
  releases: () => request<{ releases: Release[]; total: number }>('GET', `${base}/releases`),
  createRelease: (body: Omit<ReleaseInput, 'status'>) => request<{ release: Release }>('POST', `${base}/releases`, body),
  release: (id: string) => request<{ release: Release; changes: Change[]; links: DeskLink[]; history: HistoryEntry[] }>('GET', `${base}/releases/${enc(id)}`),
  updateRelease: (id: string, body: Partial<ReleaseInput>) => request<{ release: Release }>('PATCH', `${base}/releases/${enc(id)}`, body),
  links: (type: LinkType, id: string) => request<{ links: DeskLink[] }>('GET', `${base}/links${query({ type, id })}`),
  link: (body: { fromType: LinkType; fromId: string; toType: LinkType; toId: string }) => request<{ link: DeskLink }>('POST', `${base}/links`, body),
  unlink: (id: string) => request<void>('DELETE', `${base}/links/${enc(id)}`),
};

/** What a change form sends. */
export interface ChangeInput {
  title: string;
  description: string;
  type: Change['type'];
  risk: Level;
  plannedStart: number | null;
  plannedEnd: number | null;
  approverIds: string[];
  ciIds: string[];
  status: Change['status'];
}

/** What a release form sends. */
export interface ReleaseInput {
  name: string;
  version: string;
  description: string;
  status: Release['status'];
  plannedAt: number | null;
  changeIds: string[];
}

/** Configuration items, their types, relations and history. */
export const cmdbApi = {
  types: () => request<{ types: CiType[] }>('GET', `${base}/ci-types`),
  createType: (body: Omit<CiType, 'id'>) => request<{ type: CiType }>('POST', `${base}/ci-types`, body),
  list: (filters: { typeId?: string; q?: string; status?: string; limit?: number; offset?: number }) => request<{ cis: Ci[]; total: number }>('GET', `${base}/cis${query(filters)}`),
  create: (body: { name: string; typeId: string; status?: Ci['status']; attributes: Record<string, unknown> }) => request<{ ci: Ci }>('POST', `${base}/cis`, body),
  get: (id: string) => request<{ ci: Ci; relations: CiRelation[]; links: DeskLink[] }>('GET', `${base}/cis/${enc(id)}`),
  update: (id: string, body: { name?: string; status?: Ci['status']; attributes?: Record<string, unknown> }) => request<{ ci: Ci }>('PATCH', `${base}/cis/${enc(id)}`, body),
  remove: (id: string) => request<void>('DELETE', `${base}/cis/${enc(id)}`),
  history: (id: string) => request<{ history: HistoryEntry[] }>('GET', `${base}/cis/${enc(id)}/history`),
  relate: (body: { fromId: string; toId: string; kind: CiRelation['kind'] }) => request<unknown>('POST', `${base}/ci-relations`, body),
  unrelate: (id: string) => request<void>('DELETE', `${base}/ci-relations/${enc(id)}`),
};

/** What the article editor sends. */
export interface ArticleInput {
  title: string;
  bodyMarkdown: string;
  categoryId: string | null;
  visibility: Visibility;
}

/** The knowledge base as staff edit it (public and internal articles). */
export const kbApi = {
  categories: () => request<{ categories: KbCategory[] }>('GET', `${base}/kb/categories`),
  createCategory: (name: string) => request<{ category: KbCategory }>('POST', `${base}/kb/categories`, { name }),
  removeCategory: (id: string) => request<void>('DELETE', `${base}/kb/categories/${enc(id)}`),
  search: (filters: { q?: string; categoryId?: string; visibility?: string }) => request<{ articles: ArticleSummary[]; total: number }>('GET', `${base}/kb/articles${query(filters)}`),
  get: (id: string) => request<{ article: Article }>('GET', `${base}/kb/articles/${enc(id)}`),
  create: (body: ArticleInput) => request<{ article: Article }>('POST', `${base}/kb/articles`, body),
  update: (id: string, body: Partial<ArticleInput>) => request<{ article: Article }>('PATCH', `${base}/kb/articles/${enc(id)}`, body),
  remove: (id: string) => request<void>('DELETE', `${base}/kb/articles/${enc(id)}`),
  vote: (id: string, helpful: boolean) => request<{ helpfulYes: number; helpfulNo: number }>('POST', `${base}/kb/articles/${enc(id)}/vote`, { helpful }),
};
