import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultBranding } from '../../../branding/branding.js';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../../testing/appliance.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0a1b10000000049454e44ae426082', 'hex');

describe('branding', () => {
  let t: TestAppliance;
  let admin: TestClient;
  before(async () => {
    t = await buildTestAppliance();
    admin = (await loggedInAs(t, 'account_admin')).client;
  });
  after(() => t.close());

  it('serves defaults publicly, saves changes, and refuses bad colours', async () => {
    const anonymous = new TestClient(t);
    const initial = (await (await anonymous.request('GET', '/api/v1/branding')).json()) as typeof defaultBranding & { hasLogo: boolean };
    assert.equal(initial.companyName, 'RescueBox');
    assert.equal(initial.hasLogo, false);
    const changed = { ...defaultBranding, companyName: 'Muster GmbH', colors: { ...defaultBranding.colors, primary: '#aa0000' } };
    assert.equal((await admin.request('PUT', '/api/v1/branding', changed)).status, 200);
    assert.equal(((await (await anonymous.request('GET', '/api/v1/branding')).json()) as { companyName: string }).companyName, 'Muster GmbH');
    const bad = { ...changed, colors: { ...changed.colors, primary: 'red; background:url(x)' } };
    assert.equal((await admin.request('PUT', '/api/v1/branding', bad)).status, 400);
  });

  it('accepts a PNG logo by its bytes, refuses SVG, other data and oversize', async () => {
    const upload = (body: Buffer, type: string) => t.app.request('/api/v1/branding/logo', {
      method: 'PUT', headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, 'content-type': type }, body: new Uint8Array(body),
    }, { remoteAddress: '127.0.0.1' });
    assert.equal((await upload(png, 'image/png')).status, 204);
    const logo = await new TestClient(t).request('GET', '/api/v1/branding/logo');
    assert.equal(logo.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), png);
    assert.equal((await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml')).status, 400);
    assert.equal((await upload(Buffer.from('GIF89a....'), 'image/png')).status, 400);
    assert.equal((await upload(Buffer.concat([png, Buffer.alloc(600 * 1024)]), 'image/png')).status, 413);
    assert.equal((await admin.request('DELETE', '/api/v1/branding/logo')).status, 204);
    assert.equal((await new TestClient(t).request('GET', '/api/v1/branding/logo')).status, 404);
  });
});
