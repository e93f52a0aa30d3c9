import { request } from '../api/client.js';
import { query } from './api.js';
import type { Article, ArticleSummary, IncidentStatus, KbCategory, Level, Priority, UploadBody } from './types.js';

/**
 * The customer's self-service portal (/api/v1/portal). These types are the complete list of
 * what a customer ever sees: no internal note, no assignment, no SLA, no history — the portal
 * pages have no place to show them even if the server sent them.
 */

const enc = encodeURIComponent;
const base = '/api/v1/portal';

/** A customer's own incident, public fields only. */
export interface PortalIncident {
  id: string;
  ref: string;
  title: string;
  description: string;
  category: string;
  impact: Level;
  urgency: Level;
  priority: Priority;
  status: IncidentStatus;
  resolution: string | null;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
}

/** A public comment (by the customer or by staff). */
export interface PortalComment {
  id: string;
  body: string;
  author: { displayName: string; staff: boolean };
  createdAt: number;
}

/** A public attachment. */
export interface PortalAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: number;
}

/** A new incident from the portal. */
export interface PortalIncidentInput {
  title: string;
  description: string;
  category: string;
  impact?: Level;
  urgency?: Level;
}

/** The portal's endpoints. */
export const portalApi = {
  meta: () => request<{ categories: string[]; impacts: Level[]; urgencies: Level[] }>('GET', `${base}/meta`),
  list: (status?: string) => request<{ incidents: PortalIncident[]; total: number }>('GET', `${base}/incidents${query({ status, limit: 200 })}`),
  create: (body: PortalIncidentInput) => request<{ incident: PortalIncident }>('POST', `${base}/incidents`, body),
  get: (id: string) => request<{ incident: PortalIncident; comments: PortalComment[]; attachments: PortalAttachment[] }>('GET', `${base}/incidents/${enc(id)}`),
  comment: (id: string, body: string) => request<{ comment: PortalComment }>('POST', `${base}/incidents/${enc(id)}/comments`, { body }),
  attach: (id: string, body: UploadBody) => request<{ attachment: PortalAttachment }>('POST', `${base}/incidents/${enc(id)}/attachments`, body),
  attachmentUrl: (id: string, attachmentId: string) => `${base}/incidents/${enc(id)}/attachments/${enc(attachmentId)}`,
  reopen: (id: string, reason?: string) => request<{ incident: PortalIncident }>('POST', `${base}/incidents/${enc(id)}/reopen`, reason ? { reason } : {}),
  categories: () => request<{ categories: KbCategory[] }>('GET', `${base}/kb/categories`),
  search: (filters: { q?: string; categoryId?: string }) => request<{ articles: ArticleSummary[]; total: number }>('GET', `${base}/kb/articles${query(filters)}`),
  article: (id: string) => request<{ article: Article }>('GET', `${base}/kb/articles/${enc(id)}`),
  vote: (id: string, helpful: boolean) => request<{ helpfulYes: number; helpfulNo: number }>('POST', `${base}/kb/articles/${enc(id)}/vote`, { helpful }),
};
