import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, loggedInAs, TestClient, type TestAppliance } from '../../core/testing/appliance.js';
import { identityFrom, mapAccess } from './accounts.js';
import { oidcSettings, type OidcProvider } from './settings.js';
import { startTestIdp, type TestIdp } from './testing/test-idp.js';

const base = { id: 'corp', label: 'Corp', issuer: 'https://login.example.com/tenant/v2.0', clientId: 'rb' };
const provider = (extra: Record<string, unknown> = {}): OidcProvider => oidcSettings.parse({ providers: [{ ...base, ...extra }] }).providers[0]!;

describe('oidc settings', () => {
  const refused: Array<[string, unknown]> = [
    ['plain http to a remote issuer', { providers: [{ ...base, issuer: 'http://login.example.com' }] }],
    ['a provider id that is not kebab-case', { providers: [{ ...base, id: 'Corp_ID' }] }],
    ['the same provider id twice', { providers: [base, { ...base, label: 'Again' }] }],
    ['a client secret for no provider', { providers: [base], clientSecrets: { other: 's' } }],
    ['an unknown key', { providers: [{ ...base, redirectUri: 'x' }] }],
    ['a role that does not exist', { providers: [{ ...base, roleMapping: [{ group: 'g', role: 'root' }] }] }],
  ];
  for (const [what, input] of refused) it(`refuses ${what}`, () => assert.equal(oidcSettings.safeParse(input).success, false));

  it('accepts http on loopback and fills defaults', () => {
    const s = oidcSettings.parse({ providers: [{ ...base, issuer: 'http://127.0.0.1:8080' }], clientSecrets: { corp: 'x' } });
    assert.equal(s.providers[0]!.claims.subject, 'sub');
    assert.equal(s.providers[0]!.createAccounts, false);
    assert.equal(s.providers[0]!.requireVerifiedEmail, true);
  });
});

describe('oidc claims and group mapping', () => {
  it('takes only a verified e-mail unless told otherwise, and reads the configured claims', () => {
    const claims = { sub: 's1', oid: 'o1', email: 'A@Example.test', email_verified: false, name: 'A', groups: ['x'] };
    assert.equal(identityFrom(provider(), claims)!.email, null);
    assert.equal(identityFrom(provider({ requireVerifiedEmail: false }), claims)!.email, 'a@example.test');
    assert.equal(identityFrom(provider({ claims: { subject: 'oid' } }), claims)!.subject, 'o1');
    assert.equal(identityFrom(provider(), { ...claims, sub: '' }), null);
  });

  it('maps groups: first role line wins, technician groups add up, no match and no default refuses', () => {
    const p = provider({
      roleMapping: [{ group: 'Admins', role: 'account_admin' }, { group: 'helpdesk', role: 'technician' }],
      groupMapping: [{ group: 'helpdesk', groups: ['g1'] }, { group: 'admins', groups: ['g2', 'g1'] }],
    });
    assert.deepEqual(mapAccess(p, ['helpdesk', 'admins']), { role: 'account_admin', groups: ['g1', 'g2'] });
    assert.deepEqual(mapAccess(p, ['helpdesk']), { role: 'technician', groups: ['g1'] });
    assert.equal(mapAccess(p, ['other']), null);
    assert.deepEqual(mapAccess(provider({ defaultRole: 'technician' }), []), { role: 'technician', groups: [] });
  });
});

describe('oidc routes against a real provider', () => {
  let idp: TestIdp;
  let t: TestAppliance;
  const auditRows = (action: string) => t.services.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

  before(async () => {
    idp = await startTestIdp({ redirectUri: 'http://localhost/api/v1/plugins/oidc/callback', postLogoutUri: 'http://localhost/login' });
    const settings = { providers: [{ id: 'corp', label: 'Corp ID', color: '#112233', issuer: idp.issuer, clientId: idp.clientId }], clientSecrets: { corp: idp.clientSecret } };
    t = await buildTestAppliance({ PLUGINS: 'oidc', PLUGIN_SETTINGS: JSON.stringify({ oidc: settings }), LOGIN_RATE_LIMIT: '3' });
    // Tokens come from a provider on the real clock.
    t.clock.set(Date.now());
  });
  after(async () => {
    await t.close();
    await idp.close();
  });

  it('lists the providers for the login page, without secrets', async () => {
    const res = await new TestClient(t).request('GET', '/api/v1/plugins/oidc/providers');
    assert.deepEqual(await res.json(), [{ id: 'corp', label: 'Corp ID', color: '#112233' }]);
  });

  it('starts a login with PKCE (S256), state and nonce, kept behind a Lax, HttpOnly cookie for the callback path only', async () => {
    const res = await new TestClient(t).request('GET', '/api/v1/plugins/oidc/login/corp');
    assert.equal(res.status, 302);
    const to = new URL(res.headers.get('location')!);
    assert.equal(to.origin, idp.issuer);
    assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(to.searchParams.get('client_id'), idp.clientId);
    assert.equal(to.searchParams.get('redirect_uri'), 'http://localhost/api/v1/plugins/oidc/callback');
    assert.ok((to.searchParams.get('state') ?? '').length >= 40 && (to.searchParams.get('nonce') ?? '').length >= 40);
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /^rb_oidc_tx=[A-Za-z0-9_-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\/api\/v1\/plugins\/oidc/);
    assert.equal((await new TestClient(t).request('GET', '/api/v1/plugins/oidc/login/nobody')).status, 404);
  });

  it('refuses a callback without its transaction, then rate-limits callbacks per address', async () => {
    const client = new TestClient(t, '192.0.2.50');
    const first = await client.request('GET', '/api/v1/plugins/oidc/callback?code=x&state=y');
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), '/login?sso_error=sso_expired');
    await client.request('GET', '/api/v1/plugins/oidc/callback?code=x&state=y');
    await client.request('GET', '/api/v1/plugins/oidc/callback?code=x&state=y');
    const limited = await client.request('GET', '/api/v1/plugins/oidc/callback?code=x&state=y');
    assert.equal(limited.headers.get('location'), '/login?sso_error=rate_limited');
    const last = (await auditRows('auth.login')).at(-1)!;
    assert.equal(last.outcome, 'denied');
    assert.equal(JSON.parse(last.details ?? '{}').reason, 'rate_limited');
  });

  it('answers a continue without a pending login like a wrong login', async () => {
    const res = await new TestClient(t, '192.0.2.51').request('POST', '/api/v1/plugins/oidc/continue', { code: '123456' });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: 'invalid_credentials', message: 'The single sign-on login has expired. Start again.', code: 'sso_expired' });
  });

  it('masks the client secrets in the console and keeps them when the mask is saved back; tests discovery of every provider', async () => {
    const { client: admin } = await loggedInAs(t, 'account_admin', { ip: '192.0.2.52' });
    const state = ((await (await admin.request('GET', '/api/v1/plugins')).json()) as { plugins: Array<{ id: string; settings: { clientSecrets: Record<string, string> } }> }).plugins.find((p) => p.id === 'oidc')!;
    assert.deepEqual(state.settings.clientSecrets, { corp: '********' });
    assert.equal((await admin.request('PATCH', '/api/v1/plugins/oidc', { settings: state.settings })).status, 200);
    const stored = (await t.plugins.list({ revealSecrets: true })).find((p) => p.id === 'oidc')!.settings as { clientSecrets: Record<string, string> };
    assert.deepEqual(stored.clientSecrets, { corp: idp.clientSecret });
    const tested = (await (await admin.request('POST', '/api/v1/plugins/oidc/test')).json()) as { ok: boolean; steps: string[] };
    assert.equal(tested.ok, true);
    assert.match(tested.steps[0]!, new RegExp(`^corp: issuer ${idp.issuer}; authorization, token, jwks, userinfo, end session$`));
  });
});
