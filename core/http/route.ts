import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Role } from '../auth/roles.js';
import type { SupportSessionRow } from '../db/schema.js';
import type { DeviceRow } from '../devices/tables.js';
import type { AppEnv, Principal } from './env.js';
import { ApiError } from './errors.js';

/**
 * Who may call a route. Every route must say; there is no default, so a new route that
 * forgets is a type error rather than an open door.
 */
export type Access = { public: true; reason: string } | { roles: readonly Role[] } | { agent: true } | { device: true };

/** The validated input a handler receives. */
export interface RouteInput<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  principal: Principal | null;
  /** The support session whose agent token authenticated the call (agent routes only). */
  agentSession: SupportSessionRow | null;
  /** The enrolled device whose signature authenticated the call (device routes only). */
  device: DeviceRow | null;
}

/** A route: method, path, who may call it, input schemas, OpenAPI text and handler. */
export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  /** Status → description, for the OpenAPI document. */
  responses: Record<number, string>;
  /** Largest accepted JSON body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  handler: (c: Context<AppEnv>, input: RouteInput<z.output<B>, z.output<Q>>) => Response | Promise<Response>;
}

/** Gives a route definition its types (body and query inferred from the schemas). */
export function defineRoute<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<B, Q>): RouteSpec {
  return spec as unknown as RouteSpec;
}

const DEFAULT_MAX_BODY = 64 * 1024;

/** Passes when the caller may use the route; throws 401/403 otherwise. */
export function authorize(access: Access, principal: Principal | null, agentSession: SupportSessionRow | null = null, device: DeviceRow | null = null): void {
  if ('public' in access) return;
  if ('device' in access) {
    if (!device) throw new ApiError('unauthenticated', 'A valid device signature is required.');
    return;
  }
  if ('agent' in access) {
    if (!agentSession) throw new ApiError('unauthenticated', 'A valid agent token is required.');
    return;
  }
  if (!principal) throw new ApiError('unauthenticated', 'Log in first.');
  if (!access.roles.includes(principal.role)) throw new ApiError('forbidden', 'Your role may not do this.');
}

/** Registers routes on the app: authorization first, then input validation, then the handler. */
export function mountRoutes(app: Hono<AppEnv>, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const principal = c.get('principal') ?? null;
      const agentSession = c.get('agentSession') ?? null;
      const device = c.get('device') ?? null;
      authorize(route.access, principal, agentSession, device);
      const body = route.body ? await readBody(c, route.body, route.maxBodyBytes ?? DEFAULT_MAX_BODY) : undefined;
      const query = route.query ? parseOrThrow(route.query, c.req.query(), 'query') : undefined;
      return route.handler(c, { body, query, params: c.req.param() as Record<string, string>, principal, agentSession, device });
    });
  }
}

async function readBody(c: Context<AppEnv>, schema: z.ZodType, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new ApiError('unsupported_media_type', 'Send the body as application/json.');
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new ApiError('payload_too_large', `Body larger than ${maxBytes} bytes.`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new ApiError('payload_too_large', `Body larger than ${maxBytes} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON.');
  }
  return parseOrThrow(schema, json, 'body');
}

function parseOrThrow(schema: z.ZodType, value: unknown, where: string): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw new ApiError('invalid_request', `Invalid ${where}${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}.`, { issues });
}
