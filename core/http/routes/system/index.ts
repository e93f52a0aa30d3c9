import { defineRoute, type RouteSpec } from '../../route.js';

/** Liveness and the API description; `routes` is the full table the OpenAPI document is built from. */
export function systemRoutes(openApi: () => Record<string, unknown>): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/healthz', tag: 'system', summary: 'Liveness: 200 while the server and its database answer.',
      access: { public: true, reason: 'load balancers and Docker HEALTHCHECK call it without credentials' },
      responses: { 200: '{ status: "ok" }', 503: 'database not answering' },
      handler: async (c) => {
        try {
          await c.get('services').db.selectFrom('users').select('id').limit(1).execute();
          return c.json({ status: 'ok', time: new Date(c.get('services').clock.now()).toISOString() });
        } catch {
          return c.json({ status: 'error', reason: 'database' }, 503);
        }
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/openapi.json', tag: 'system', summary: 'This API as an OpenAPI 3.1 document.',
      access: { public: true, reason: 'the API contract is documentation, not data' },
      responses: { 200: 'OpenAPI document' },
      handler: (c) => c.json(openApi()),
    }),
  ];
}
