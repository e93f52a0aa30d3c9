import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../auth/roles.js';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../testing/appliance.js';
import { deviceClient, enrolTestDevice } from '../testing/device.js';
import { deskMatrix } from './routes/desk/matrix.js';

type Caller = 'anonymous' | Role | 'agent' | 'device';
const callers: Caller[] = ['anonymous', 'account_admin', 'network_admin', 'technician', 'customer', 'agent', 'device'];

// Who may pass each route's authorization: A = allowed, - = refused (401 when the caller has no
// credential the route accepts, 403 when it has one but its role may not).
// Columns: anonymous, account_admin, network_admin, technician, customer, agent (a customer's
// agent holding the agent token of a live support session), device (an enrolled unattended
// device signing with its key). A six-letter row gives the device the anonymous caller's answer.
const matrix: Record<string, string> = {
  'GET /healthz': 'AAAAAA',
  'GET /api/v1/openapi.json': 'AAAAAA',
  'POST /api/v1/auth/login': 'AAAAAA',
  'POST /api/v1/auth/logout': '-AAAA-',
  'POST /api/v1/auth/logout-all': '-AAAA-',
  'GET /api/v1/me': '-AAAA-',
  'PATCH /api/v1/me': '-AAAA-',
  'POST /api/v1/me/password': '-AAAA-',
  'GET /api/v1/me/tokens': '-AAAA-',
  'POST /api/v1/me/tokens': '-AAAA-',
  'DELETE /api/v1/me/tokens/:id': '-AAAA-',
  'GET /api/v1/setup': 'AAAAAA',
  'POST /api/v1/setup': 'AAAAAA',
  'GET /api/v1/users': '-AA---',
  'POST /api/v1/users': '-AA---',
  'GET /api/v1/users/:id': '-AA---',
  'PATCH /api/v1/users/:id': '-AA---',
  'DELETE /api/v1/users/:id': '-AA---',
  'GET /api/v1/groups': '-AA---',
  'POST /api/v1/groups': '-AA---',
  'GET /api/v1/groups/:id': '-AA---',
  'PATCH /api/v1/groups/:id': '-AA---',
  'DELETE /api/v1/groups/:id': '-AA---',
  'GET /api/v1/audit': '-AA---',
  'GET /api/v1/audit.csv': '-AA---',
  'GET /api/v1/audit/verify': '-AA---',
  'GET /api/v1/pin/budgets': '-AA---',
  'GET /api/v1/audit/checkpoints': '-AA---',
  'POST /api/v1/audit/checkpoints': '-AA---',
  'GET /api/v1/plugins': '-A----',
  'PATCH /api/v1/plugins/:id': '-A----',
  'POST /api/v1/plugins/ldap/sync': '-A----',
  'POST /api/v1/plugins/ldap/test': '-A----',
  'GET /api/v1/plugins/totp/status': '-AAAA-',
  'POST /api/v1/plugins/totp/enrolment': '-AAAA-',
  'POST /api/v1/plugins/totp/enrolment/confirm': '-AAAA-',
  'POST /api/v1/plugins/totp/recovery-codes': '-AAAA-',
  'POST /api/v1/plugins/totp/disable': '-AAAA-',
  'DELETE /api/v1/plugins/totp/users/:id': '-AA---',
  'GET /api/v1/plugins/oidc/providers': 'AAAAAA',
  'GET /api/v1/plugins/oidc/login/:provider': 'AAAAAA',
  'GET /api/v1/plugins/oidc/callback': 'AAAAAA',
  'POST /api/v1/plugins/oidc/continue': 'AAAAAA',
  'POST /api/v1/plugins/oidc/logout': '-AAAA-',
  'POST /api/v1/plugins/oidc/test': '-A----',
  'POST /api/v1/policy/explain': '-AA---',
  'GET /api/v1/plugins/company-pin/company': 'AAAAAA',
  'GET /api/v1/plugins/company-pin/links': '-AA---',
  'POST /api/v1/plugins/company-pin/links': '-AA---',
  'PATCH /api/v1/plugins/company-pin/links/:id': '-AA---',
  'DELETE /api/v1/plugins/company-pin/links/:id': '-AA---',
  'POST /api/v1/plugins/company-pin/start': 'AAAAAA',
  'GET /api/v1/plugins/company-pin/queue': '-AAA--',
  'POST /api/v1/plugins/company-pin/queue/:id/claim': '-AAA--',
  'POST /api/v1/plugins/domain-validation/pin': 'AAAAAA',
  'POST /api/v1/plugins/domain-validation/channel': 'AAAAAA',
  'GET /api/v1/plugins/domain-validation/form.js': 'AAAAAA',
  'GET /api/v1/plugins/domain-validation/domains': '-AA---',
  'POST /api/v1/plugins/domain-validation/snippet': '-AA---',
  'POST /api/v1/sessions': '-AAA--',
  'GET /api/v1/sessions': '-AAA--',
  'GET /api/v1/sessions/:id': '-AAA--',
  'POST /api/v1/sessions/:id/join': '-AAA--',
  'POST /api/v1/sessions/:id/end': '-AAA--',
  'POST /api/v1/sessions/:id/grants': '-AAA--',
  'POST /api/v1/pin/redeem': 'AAAAAA',
  'POST /api/v1/pin/join-code': 'AAAAAA',
  'POST /api/v1/agent/join': 'AAAAAA',
  'POST /api/v1/agent/ticket': '-----A',
  'POST /api/v1/agent/events': '-----A',
  'POST /api/v1/agent/end': '-----A',
  'POST /api/v1/agent/handover': '-----A',
  'GET /api/v1/devices/tokens': '-AA----',
  'POST /api/v1/devices/tokens': '-AA----',
  'DELETE /api/v1/devices/tokens/:id': '-AA----',
  'POST /api/v1/devices/enrol': 'AAAAAAA',
  'GET /api/v1/devices': '-AAA---',
  'GET /api/v1/devices.csv': '-AAA---',
  'POST /api/v1/devices/:id/start': '-AAA---',
  'POST /api/v1/devices/:id/revoke': '-AA----',
  'POST /api/v1/device/poll': '------A',
  'POST /api/v1/device/ticket': '------A',
  'POST /api/v1/device/events': '------A',
  'POST /api/v1/device/end': '------A',
  'POST /api/v1/device/revoke': '------A',
  'GET /api/v1/branding': 'AAAAAA',
  'GET /downloads/rescuebox-agent.mjs': 'AAAAAA',
  'GET /api/v1/downloads': 'AAAAAA',
  'GET /downloads/support/:target': 'AAAAAA',
  'GET /downloads/support/:target/signature': 'AAAAAA',
  'PUT /api/v1/branding': '-A----',
  'GET /api/v1/branding/logo': 'AAAAAA',
  'PUT /api/v1/branding/logo': '-A----',
  'DELETE /api/v1/branding/logo': '-A----',
  ...deskMatrix,
};

// Routes that end the caller's session get a fresh login for each call.
const endsSession = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all', 'POST /api/v1/agent/end', 'POST /api/v1/device/revoke', 'POST /api/v1/plugins/oidc/logout']);

describe('authorization matrix: every role against every route', () => {
  let t: TestAppliance;
  const clients = new Map<Caller, TestClient>();

  before(async () => {
    // The oidc plugin is on (with no providers) so its routes answer for real rather than 404.
    t = await buildTestAppliance({ LOGIN_RATE_LIMIT: '10000', PLUGINS: 'login-hours,oidc' });
    clients.set('anonymous', new TestClient(t));
    for (const role of callers.filter((c): c is Role => c !== 'anonymous' && c !== 'agent')) clients.set(role, (await loggedInAs(t, role)).client);
    clients.set('agent', await agentClient(t));
    clients.set('device', await freshDevice(t));
  });
  after(() => t.close());

  it('lists every route of the app in the matrix, and only those', () => {
    const actual = t.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    assert.deepEqual(actual, Object.keys(matrix).sort());
  });

  it('gives every public route a stated reason', () => {
    for (const route of t.routes) {
      if ('public' in route.access) assert.ok(route.access.reason.length > 10, `${route.path} needs a reason to be public`);
    }
  });

  for (const [route, row] of Object.entries(matrix)) {
    it(route, async () => {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace(/:id/g, '00000000-0000-4000-8000-000000000000');
      for (const [index, caller] of callers.entries()) {
        let client = clients.get(caller)!;
        if (endsSession.has(route) && caller === 'agent') client = await agentClient(t);
        else if (endsSession.has(route) && caller === 'device') client = await freshDevice(t);
        else if (endsSession.has(route) && caller !== 'anonymous') client = (await loggedInAs(t, caller as Role)).client;
        const res = await client.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
        const allowed = (row[index] ?? row[0]) === 'A';
        if (allowed) {
          assert.ok(![401, 403].includes(res.status) || (await isNonAuthzError(res)), `${caller} should pass ${route}, got ${res.status}`);
        } else {
          const routeTakes = route.includes('/agent/') ? 'agent' : route.includes('/api/v1/device/') ? 'device' : 'account';
          const credentialAccepted = caller !== 'anonymous' && (caller === 'agent' || caller === 'device' ? caller : 'account') === routeTakes;
          assert.equal(res.status, credentialAccepted ? 403 : 401, `${caller} must be refused on ${route}`);
        }
      }
    });
  }

  it('applies the same matrix to personal API tokens (Bearer)', async () => {
    for (const role of ['network_admin', 'technician'] as const) {
      const owner = (await loggedInAs(t, role)).client;
      const created = await owner.request('POST', '/api/v1/me/tokens', { name: 'script' });
      assert.equal(created.status, 201);
      const script = new TestClient(t);
      script.bearer = ((await created.json()) as { secret: string }).secret;
      assert.equal((await script.request('GET', '/api/v1/users')).status, role === 'network_admin' ? 200 : 403);
      assert.equal((await script.request('GET', '/api/v1/plugins')).status, 403);
      assert.equal((await script.request('GET', '/api/v1/me')).status, 200);
    }
  });
});

/** A client holding the agent token of a live support session. */
async function agentClient(t: TestAppliance): Promise<TestClient> {
  const { client } = await loggedInAs(t, 'technician');
  const { pin } = (await (await client.request('POST', '/api/v1/sessions', {})).json()) as { pin: string };
  const { agentToken } = (await (await new TestClient(t).request('POST', '/api/v1/pin/redeem', { pin })).json()) as { agentToken: string };
  const agent = new TestClient(t);
  agent.agentToken = agentToken;
  return agent;
}

/** A device enrolled with a deployment token, signing its requests with its own key. */
async function freshDevice(t: TestAppliance): Promise<TestClient> {
  const { client: admin } = await loggedInAs(t, 'account_admin');
  const group = (await (await admin.request('POST', '/api/v1/groups', { name: `Unattended ${Math.random()}`, permissions: ['unattended_access'] })).json()) as { group: { id: string } };
  const { deviceId, keys } = await enrolTestDevice(t, admin, group.group.id);
  return deviceClient(t, deviceId, keys.privateKey);
}

/** A 401/403 that is about the request's content (e.g. setup token wrong), not about the caller's role. */
async function isNonAuthzError(res: Response): Promise<boolean> {
  const body = (await res.clone().json()) as { error?: string };
  return body.error === 'invalid_credentials' || (body.error === 'forbidden' && res.url.includes('/setup'));
}
