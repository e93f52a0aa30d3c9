import { z } from 'zod';
import type { RouteSpec } from './route.js';

/** Builds the OpenAPI 3.1 document from the route table, so code and contract cannot drift. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = route.query ? queryParameters(route.query) : [];
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      'x-access': 'public' in route.access ? 'public' : 'agent' in route.access ? 'agent' : 'device' in route.access ? 'device' : route.access.roles,
      security: 'public' in route.access ? [] : 'agent' in route.access ? [{ agentToken: [] }] : 'device' in route.access ? [{ deviceSignature: [] }] : [{ sessionCookie: [] }, { bearerToken: [] }],
      parameters: [...params, ...query],
      responses: Object.fromEntries(Object.entries(route.responses).map(([status, description]) => [status, { description }])),
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } };
    }
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'RescueBox appliance API', version },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: '__Host-rb_session', description: 'Login session; state-changing requests also need the X-CSRF-Token header.' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'Personal API token (rbt_…) created in the profile.' },
        agentToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Agent rba_…`: the customer agent\'s credential for its support session.' },
        deviceSignature: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Device <id>.<time ms>.<Ed25519 signature>`: an enrolled device signs method, path, time and body hash with its own key.' },
      },
    },
    paths,
  };
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  } catch {
    return {};
  }
}

function queryParameters(schema: z.ZodType): unknown[] {
  const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s }));
}
