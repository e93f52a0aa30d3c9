import type { Hono } from 'hono';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { insertUser, type User } from '../accounts/users.js';
import { hashPassword } from '../auth/password-hash.js';
import type { Role } from '../auth/roles.js';
import { bootAppliance, type Appliance } from '../boot.js';
import { createApp } from '../http/app.js';
import type { AppEnv } from '../http/env.js';
import type { RouteSpec } from '../http/route.js';
import { ManualClock } from '../support/clock.js';
import { createLogger } from '../support/logger.js';

/** An appliance on an in-memory database with a manual clock, driven through app.request(). */
export interface TestAppliance extends Appliance {
  app: Hono<AppEnv>;
  routes: RouteSpec[];
  clock: ManualClock;
  close(): Promise<void>;
}

/** Builds a test appliance; `env` is read like real environment variables. */
export async function buildTestAppliance(env: Record<string, string> = {}, configOverrides: Partial<Config> = {}): Promise<TestAppliance> {
  const config = { ...loadConfig({ TLS: 'off', LOG_LEVEL: 'silent', ...env }), ...configOverrides };
  const clock = new ManualClock();
  const appliance = await bootAppliance(config, { clock, inMemory: true, logger: createLogger('silent') });
  const { app, routes } = createApp(appliance.services, appliance.plugins);
  return { ...appliance, app, routes, clock, close: () => appliance.services.db.destroy() };
}

let counter = 0;

/** Creates an account directly in the database; returns it with its plain password. */
export async function buildUser(t: TestAppliance, fields: { role?: Role; email?: string; password?: string; groups?: string[]; enabled?: boolean } = {}): Promise<{ user: User; password: string }> {
  counter += 1;
  const password = fields.password ?? `Correct-horse-${counter}-battery`;
  const user = await insertUser(t.services.db, t.services.clock, {
    email: fields.email ?? `user${counter}@example.test`, role: fields.role ?? 'technician', passwordHash: await hashPassword(password),
    groups: fields.groups ?? [], enabled: fields.enabled ?? true, displayName: `User ${counter}`,
  });
  return { user, password };
}

/** The code of the newest audited decision of a hook (what an anonymous caller is not told). */
export async function lastPolicyCode(t: TestAppliance, hook: string): Promise<string | undefined> {
  const row = await t.services.db.selectFrom('audit_log').select('details').where('action', '=', `policy.${hook}`).orderBy('seq', 'desc').executeTakeFirst();
  return row ? (JSON.parse(row.details) as { code?: string }).code : undefined;
}

/** A cookie-carrying HTTP client for one browser-like caller. */
export class TestClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  bearer: string | null = null;
  agentToken: string | null = null;
  /** Signs each request as an enrolled device would (Authorization: Device …). */
  deviceSigner: ((method: string, path: string, body: string) => string) | null = null;

  constructor(private readonly t: TestAppliance, readonly ip = '127.0.0.1') {}

  /** Sends a request as this caller: cookie, CSRF header and Bearer token added when held. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') h['x-csrf-token'] ??= this.csrfToken;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.agentToken) h.authorization = `Agent ${this.agentToken}`;
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (this.deviceSigner) h.authorization ??= this.deviceSigner(method, new URL(path, 'http://x').pathname, text ?? '');
    const res = await this.t.app.request(path, { method, headers: h, body: text }, { remoteAddress: this.ip });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = pair && !/=;?$/.test(pair) && !/Max-Age=0/i.test(setCookie) ? pair : null;
    }
    return res;
  }

  /** Logs in; keeps the cookie and CSRF token on success. */
  async login(email: string, password: string, code?: string): Promise<Response> {
    const res = await this.request('POST', '/api/v1/auth/login', { email, password, ...(code && { code }) });
    if (res.status === 200) this.csrfToken = ((await res.clone().json()) as { csrfToken: string }).csrfToken;
    return res;
  }
}

/** Creates an account of the given role and returns a client logged in as it. */
export async function loggedInAs(t: TestAppliance, role: Role, fields: { groups?: string[]; ip?: string } = {}): Promise<{ client: TestClient; user: User; password: string }> {
  const { user, password } = await buildUser(t, { role, ...(fields.groups && { groups: fields.groups }) });
  const client = new TestClient(t, fields.ip);
  const res = await client.login(user.email, password);
  if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
  return { client, user, password };
}
