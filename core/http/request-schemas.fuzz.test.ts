import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { fuzzParams, fuzzRuns } from '../../scripts/fuzz-runs.js';
import type { Role } from '../auth/roles.js';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../testing/appliance.js';
import type { RouteSpec } from './route.js';

// Every request schema meets hostile input: it answers yes or no and never throws; and the
// routes behind them, called with such bodies and queries, answer with a client error (or
// success), never 500. The property is per route, so a new route is covered without a change.

let t: TestAppliance;
const clients = new Map<string, TestClient>();

before(async () => {
  t = await buildTestAppliance();
  clients.set('anonymous', new TestClient(t));
  for (const role of ['account_admin', 'network_admin', 'technician', 'customer'] as Role[]) clients.set(role, (await loggedInAs(t, role)).client);
});
after(() => t.close());

/** Inputs shaped like the schema's object (its keys with any JSON values), or any JSON at all. */
function inputsFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', ' ', '0', '-1', 'true', 'null', '1e309', '__proto__', '../..', 'a'.repeat(5000)), fc.double(), fc.integer());
  const shaped = keys.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
  const withExtra = fc.tuple(shaped, fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }));
  return fc.oneof({ weight: 4, arbitrary: withExtra }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

/** Query strings: string values only, as the URL gives them. */
function queryFor(schema: z.ZodType): fc.Arbitrary<Record<string, string>> {
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
  const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '0', '-1', '999999999999', 'NaN', 'true', 'a'.repeat(3000)), fc.integer().map(String));
  return keys.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
}

function callerOf(route: RouteSpec): TestClient | null {
  if ('public' in route.access) return clients.get('anonymous')!;
  if ('roles' in route.access) return clients.get(route.access.roles[0]!) ?? null;
  return null; // agent routes need a live session; their schemas are still fuzzed directly
}

const pathWith = (path: string, id: string) => path.replace(/:[a-zA-Z]+/g, encodeURIComponent(id));
// Routes that end the caller's own login would make every later call a 401 rather than a test.
const selfEnding = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all', 'POST /api/v1/me/password']);

describe('request schemas (fuzz)', () => {
  it('every body and query schema answers any input without throwing', () => {
    const schemas = t.routes.flatMap((r) => [r.body, r.query].filter((s): s is z.ZodType => s !== undefined).map((s) => [`${r.method} ${r.path}`, s] as const));
    assert.ok(schemas.length > 20, `only ${schemas.length} schemas found`);
    for (const [name, schema] of schemas) {
      fc.assert(fc.property(inputsFor(schema), (input) => {
        const result = schema.safeParse(input);
        assert.equal(typeof result.success, 'boolean', name);
      }), { ...fuzzParams(), numRuns: fuzzRuns() });
    }
  });

  it('no route answers 500 to hostile bodies, queries or ids', async () => {
    const routes = t.routes.filter((r) => (r.body || r.query || r.path.includes(':')) && !selfEnding.has(`${r.method.toUpperCase()} ${r.path}`) && callerOf(r));
    // A request runs the whole app with its database: fewer inputs per route than the pure schema property.
    for (const route of routes) {
      const client = callerOf(route)!;
      await fc.assert(fc.asyncProperty(route.body ? inputsFor(route.body) : fc.constant(undefined), route.query ? queryFor(route.query) : fc.constant({}), fc.oneof(fc.uuid(), fc.string({ maxLength: 30 })), async (body, query, id) => {
        const search = new URLSearchParams(query).toString();
        const res = await client.request(route.method.toUpperCase(), `${pathWith(route.path, id)}${search ? `?${search}` : ''}`, route.body ? body ?? null : undefined);
        assert.ok(res.status < 500, `${route.method.toUpperCase()} ${route.path} answered ${res.status}: ${await res.text()} for ${JSON.stringify(body)?.slice(0, 300)} ?${search.slice(0, 200)}`);
      }), { ...fuzzParams(), numRuns: fuzzRuns(200) });
    }
  });
});
