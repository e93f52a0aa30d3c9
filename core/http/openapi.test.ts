import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestAppliance } from '../testing/appliance.js';

describe('OpenAPI document', () => {
  it('describes every route of the app, with its access rule and request body schema', async () => {
    const t = await buildTestAppliance();
    try {
      const res = await t.app.request('/api/v1/openapi.json', {}, { remoteAddress: '127.0.0.1' });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { 'x-access': unknown; requestBody?: { content: { 'application/json': { schema: { properties?: object } } } }; responses: object }>> };
      assert.equal(doc.openapi, '3.1.0');
      for (const route of t.routes) {
        const operation = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
        assert.ok(operation, `${route.method} ${route.path} missing`);
        assert.ok(operation['x-access'], `${route.path} has no access rule`);
        assert.ok(Object.keys(operation.responses).length > 0);
        if (route.body) assert.ok(operation.requestBody?.content['application/json'].schema, `${route.path} lacks its body schema`);
      }
      const login = doc.paths['/api/v1/auth/login']!.post!;
      assert.deepEqual(Object.keys(login.requestBody!.content['application/json'].schema.properties ?? {}).sort(), ['code', 'email', 'password']);
    } finally {
      await t.close();
    }
  });
});
