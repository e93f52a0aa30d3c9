/** The typed API client of the UI: JSON, same-origin cookie, CSRF header on every change. */

export type Role = 'account_admin' | 'network_admin' | 'technician' | 'customer';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  enabled: boolean;
  groups: string[];
  language: string | null;
  lockedUntil: number | null;
  createdAt: number;
}

export interface Me {
  user: User;
  permissions: string[];
  csrfToken: string | null;
}

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

/** Called when a request answers 401 (the session ended): the app goes to the login page. */
export const whenUnauthenticated = (handler: () => void): void => {
  onUnauthenticated = handler;
};

/** Sends one request; JSON in and out; throws ApiError for any non-2xx answer. */
export async function api<T = unknown>(method: string, path: string, body?: unknown, options: { raw?: BodyInit; contentType?: string; quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.contentType) headers['Content-Type'] = options.contentType;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
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
