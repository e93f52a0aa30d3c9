/** The typed API client of the UI: JSON, same-origin cookie, CSRF header on every change. */
import type {
  ApiToken, AuditEntry, AuditFilters, AuditVerification, Group, HookName, Me, Plugin, PolicyExplanation, Role, User,
} from './types.js';

export type * from './types.js';
export { hookNames, roles } from './types.js';

/** An API error: the stable code, the server's message, and any extra fields. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly body: Record<string, unknown>) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remembers the CSRF token from login or /me. */
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

/** Called when a request answers 401 `unauthenticated` (the session ended): the app goes to the login page. */
export const whenUnauthenticated = (handler: () => void): void => {
  onUnauthenticated = handler;
};

/** How one request differs from plain JSON. */
export interface RequestOptions {
  /** A non-JSON body (a logo upload), sent as is with `contentType`. */
  raw?: BodyInit;
  contentType?: string;
  /** Do not treat a 401 as "session ended" (the login call, the first /me). */
  quiet401?: boolean;
}

/**
 * Sends one request; JSON in and out; throws ApiError for any non-2xx answer. Only the
 * `unauthenticated` 401 ends the session in the UI: a wrong current password or a login
 * challenge is a 401 too, and must stay on its page.
 */
export async function request<T = unknown>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.contentType) headers['Content-Type'] = options.contentType;
  const payload = options.raw ?? (body === undefined ? null : JSON.stringify(body));
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: payload });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: Record<string, unknown> = {};
  try {
    data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    data = { error: 'internal', message: text.slice(0, 200) };
  }
  if (!res.ok) {
    if (res.status === 401 && !options.quiet401 && data.error === 'unauthenticated') onUnauthenticated?.();
    throw new ApiError(res.status, String(data.error ?? 'internal'), String(data.message ?? res.statusText), data);
  }
  return data as T;
}

/** The same as `request`, under the name the first pages used. */
export const api = request;

const enc = encodeURIComponent;

/** The query string of the audit filters, without empty fields. */
export function auditQuery(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Login, logout and first-run setup. */
export const authApi = {
  login: (body: { email: string; password: string; code?: string }) => request<Me>('POST', '/api/v1/auth/login', body, { quiet401: true }),
  logout: () => request<void>('POST', '/api/v1/auth/logout'),
  logoutAll: () => request<void>('POST', '/api/v1/auth/logout-all'),
  setupNeeded: () => request<{ needed: boolean }>('GET', '/api/v1/setup'),
  setup: (body: { token: string; email: string; password: string; displayName?: string }) => request<Me>('POST', '/api/v1/setup', body),
};

/** The caller's own account. */
export const meApi = {
  get: (quiet401 = false) => request<Me>('GET', '/api/v1/me', undefined, { quiet401 }),
  changePassword: (body: { currentPassword: string; newPassword: string }) => request<void>('POST', '/api/v1/me/password', body),
  tokens: () => request<{ tokens: ApiToken[] }>('GET', '/api/v1/me/tokens'),
  createToken: (body: { name: string; expiresInDays?: number }) => request<{ token: ApiToken; secret: string }>('POST', '/api/v1/me/tokens', body),
  deleteToken: (id: string) => request<void>('DELETE', `/api/v1/me/tokens/${enc(id)}`),
};

/** What an admin may set on an account. */
export interface UserInput {
  email: string;
  password: string;
  role: Role;
  groups: string[];
  enabled: boolean;
  displayName: string;
}

/** Account administration. */
export const usersApi = {
  list: () => request<{ users: User[] }>('GET', '/api/v1/users'),
  create: (body: UserInput) => request<{ user: User }>('POST', '/api/v1/users', body),
  update: (id: string, body: Partial<UserInput>) => request<{ user: User }>('PATCH', `/api/v1/users/${enc(id)}`, body),
  remove: (id: string) => request<void>('DELETE', `/api/v1/users/${enc(id)}`),
};

/** What an admin may set on a group. */
export interface GroupInput {
  name: string;
  description: string;
  permissions: string[];
  members: string[];
}

/** Technician groups. */
export const groupsApi = {
  list: () => request<{ groups: Group[]; permissions: string[] }>('GET', '/api/v1/groups'),
  create: (body: GroupInput) => request<{ group: Group }>('POST', '/api/v1/groups', body),
  update: (id: string, body: Partial<GroupInput>) => request<{ group: Group }>('PATCH', `/api/v1/groups/${enc(id)}`, body),
  remove: (id: string) => request<void>('DELETE', `/api/v1/groups/${enc(id)}`),
};

/** The audit log. */
export const auditApi = {
  list: (filters: AuditFilters) => request<{ entries: AuditEntry[]; nextBefore: number | null }>('GET', `/api/v1/audit${auditQuery(filters)}`),
  csvUrl: (filters: AuditFilters) => `/api/v1/audit.csv${auditQuery({ ...filters, before: undefined, limit: undefined })}`,
  verify: () => request<AuditVerification>('GET', '/api/v1/audit/verify'),
};

/** Policy plugins and the side-effect-free policy test. */
export const pluginsApi = {
  list: () => request<{ plugins: Plugin[] }>('GET', '/api/v1/plugins'),
  update: (id: string, body: { enabled?: boolean; position?: number; settings?: unknown }) => request<{ plugin: Plugin }>('PATCH', `/api/v1/plugins/${enc(id)}`, body),
  explain: (hook: HookName, context: { email?: string; ip?: string }) => request<PolicyExplanation>('POST', '/api/v1/policy/explain', { hook, context }),
};
