import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestAppliance } from '../../testing/appliance.js';

describe('security headers', () => {
  it('sends a strict CSP and the hardening headers on API, UI and error responses', async () => {
    const t = await buildTestAppliance({}, { tls: 'on' });
    try {
      for (const path of ['/healthz', '/api/v1/me', '/api/v1/nope', '/some/page']) {
        const res = await t.app.request(path, {}, { remoteAddress: '127.0.0.1' });
        const csp = res.headers.get('content-security-policy') ?? '';
        assert.match(csp, /default-src 'self'/, path);
        assert.match(csp, /script-src 'self'(;|$)/, `${path}: no inline script`);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(res.headers.get('x-frame-options'), 'DENY');
        assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/);
      }
      const api = await t.app.request('/api/v1/me', {}, { remoteAddress: '127.0.0.1' });
      assert.equal(api.headers.get('cache-control'), 'no-store');
    } finally {
      await t.close();
    }
  });

  it('sends no HSTS without TLS', async () => {
    const t = await buildTestAppliance();
    try {
      const res = await t.app.request('/healthz', {}, { remoteAddress: '127.0.0.1' });
      assert.equal(res.headers.get('strict-transport-security'), null);
    } finally {
      await t.close();
    }
  });
});
