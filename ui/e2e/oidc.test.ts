import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { generateSync } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { insertGroup } from '../../core/accounts/groups.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';
import { startTestIdp, type TestIdp } from '../../plugins/oidc/testing/test-idp.js';

// Real Chromium, the real appliance and a real OpenID provider (oidc-provider) on loopback, real
// clock. The provider's token endpoint can be told to misbehave once (a re-signed ID token with
// one wrong claim, a forged signature, an earlier login's token) to show each check refuses.
const ADMIN = { email: 'admin@example.test', password: 'Owner-secret-2026' };

describe('single sign-on with OpenID Connect in Chromium', () => {
  let appliance: RunningAppliance;
  let idp: TestIdp;
  let browser: Browser;
  let dataDir: string;
  let adminId: string;
  let hotline: string;

  const settings = (provider: Record<string, unknown> = {}) => ({
    providers: [{
      id: 'corp', label: 'Corp ID', color: '#0b5394', issuer: idp.issuer, clientId: idp.clientId, scopes: ['groups'], createAccounts: true,
      roleMapping: [{ group: 'rb-admins', role: 'network_admin' }], defaultRole: 'technician', groupMapping: [{ group: 'hotline', groups: [hotline] }], logoutAtProvider: true, ...provider,
    }],
    clientSecrets: { corp: idp.clientSecret },
  });
  const configure = async (plugins: string[], extra: Record<string, unknown> = {}, provider: Record<string, unknown> = {}) => {
    for (const state of await appliance.plugins.list()) {
      if (['oidc', 'totp', 'ip-restrictions'].includes(state.id)) await appliance.plugins.change(state.id, { enabled: plugins.includes(state.id), ...(state.id === 'oidc' && { settings: settings(provider) }), ...(extra[state.id] !== undefined && { settings: extra[state.id] }) }, adminId);
    }
  };
  const audit = (action: string) => appliance.services.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

  /** Clicks the provider's button on the login page and signs in at the provider as `login`. */
  async function ssoLogin(page: Page, login: string) {
    await page.goto(`${appliance.url}/login`);
    await page.getByTestId('sso-corp').click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    // The provider asks for consent at the first login of a browser (its own page).
    await page.waitForURL((url) => url.href.startsWith(appliance.url) || url.pathname.startsWith('/interaction/'));
    if (new URL(page.url()).pathname.startsWith('/interaction/')) await page.locator('button[type="submit"]').click();
  }

  const freshPage = async () => (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' })).newPage();
  const me = async (page: Page) => page.evaluate(async () => { const r = await fetch('/api/v1/me'); return { status: r.status, body: r.ok ? await r.json() : null }; });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rb-e2e-oidc-'));
    const config = loadConfig({
      DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', RELAY_PORT: '0', PLUGINS: 'login-hours',
    });
    appliance = await startAppliance(config, { logger: createLogger('silent') });
    idp = await startTestIdp({ redirectUri: `${appliance.url}/api/v1/plugins/oidc/callback`, postLogoutUri: `${appliance.url}/login` });
    idp.people.set('alice', { email: 'alice@example.test', name: 'Alice Admin', groups: ['rb-admins', 'hotline'] });
    idp.people.set('bob', { email: 'bob@example.test', name: 'Bob Tech', groups: ['staff'] });
    idp.people.set('carol', { email: 'carol@example.test', name: 'Carol', groups: ['staff'] });
    adminId = (await appliance.services.db.selectFrom('users').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow()).id;
    hotline = (await insertGroup(appliance.services.db, appliance.services.clock, { name: 'Hotline' })).id;
    await configure(['oidc']);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await idp?.close();
    await appliance?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in with the provider button, creates the account just in time and maps groups to role and technician groups', async () => {
    const page = await freshPage();
    const callbacks: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/plugins/oidc/callback')) callbacks.push(r.url()); });
    await ssoLogin(page, 'alice');
    await page.waitForURL('**/admin/users');
    const { body } = await me(page);
    assert.equal(body.user.email, 'alice@example.test');
    assert.equal(body.user.role, 'network_admin');
    assert.deepEqual(body.user.groups, [hotline]);
    assert.equal(body.user.authSource, 'oidc');
    assert.equal((await audit('oidc.account_created')).length, 1);
    const logins = (await audit('auth.login')).filter((e) => e.outcome === 'success' && JSON.parse(e.details ?? '{}').method === 'oidc');
    assert.equal(logins.length, 1);
    assert.equal((await audit('policy.technicianLogin')).at(-1)?.outcome, 'allow');

    // The same callback (code, state) again from another browser: the one-time transaction is gone.
    assert.equal(callbacks.length, 1);
    const other = await freshPage();
    await other.goto(callbacks[0]!);
    await other.getByTestId('sso-error').filter({ hasText: 'expired or was already used' }).waitFor();
    assert.equal((await me(other)).status, 401);
    assert.equal(JSON.parse((await audit('auth.login')).at(-1)!.details ?? '{}').reason, 'no_transaction');
    await page.context().close();
    await other.context().close();
  });

  /** Logs alice in once in a browser of its own; returns the (good) ID token the provider issued. */
  const goodToken = async () => {
    const page = await freshPage();
    await ssoLogin(page, 'alice');
    await page.waitForURL('**/admin/users');
    await page.context().close();
    return idp.issued.at(-1)!;
  };
  const refusals: Array<[string, () => void | Promise<void>, RegExp]> = [
    ['an ID token for another audience', () => idp.tamperNext({ kind: 'claims', change: (c) => ({ ...c, aud: 'another-app' }) }), /aud/],
    ['an expired ID token', () => idp.tamperNext({ kind: 'claims', change: (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }) }), /exp/],
    ['an ID token of another issuer', () => idp.tamperNext({ kind: 'claims', change: (c) => ({ ...c, iss: 'https://evil.example' }) }), /iss/],
    ['an ID token signed with a key the provider never published', () => idp.tamperNext({ kind: 'foreign-key' }), /signature/i],
    ['an earlier login\'s ID token (nonce replay)', async () => idp.tamperNext({ kind: 'replay', idToken: await goodToken() }), /nonce/],
  ];
  for (const [what, tamper, why] of refusals) {
    it(`refuses ${what}`, async () => {
      await tamper();
      const page = await freshPage();
      await ssoLogin(page, 'alice');
      await page.getByTestId('sso-error').filter({ hasText: 'could not be verified' }).waitFor();
      assert.equal((await me(page)).status, 401);
      const last = (await audit('auth.login')).at(-1)!;
      assert.equal(last.outcome, 'failure');
      const details = JSON.parse(last.details ?? '{}') as { reason: string; error: string };
      assert.equal(details.reason, 'token_rejected');
      assert.match(details.error, why);
      await page.context().close();
    });
  }

  it('picks up a rotated signing key at its first use', async () => {
    const kid = await idp.rotateKey();
    const page = await freshPage();
    await ssoLogin(page, 'alice');
    await page.waitForURL('**/admin/users');
    assert.equal(decodeProtectedHeader(idp.issued.at(-1)!).kid, kid);
    await page.context().close();
  });

  it('logs out at the provider too (RP-initiated logout)', async () => {
    const page = await freshPage();
    await ssoLogin(page, 'alice');
    await page.waitForURL('**/admin/users');
    await page.getByTestId('logout').click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${appliance.url}/login`);
    assert.equal((await me(page)).status, 401);
    const last = (await audit('auth.logout')).at(-1)!;
    assert.equal(JSON.parse(last.details ?? '{}').atProvider, true);
    await page.context().close();
  });

  it('still passes the other plugins: an IP rule refuses, TOTP asks for a code after the provider', async () => {
    await configure(['oidc', 'ip-restrictions'], { 'ip-restrictions': { login: { roles: ['technician'], accounts: { 'bob@example.test': ['10.0.0.0/8'] } } } });
    let page = await freshPage();
    await ssoLogin(page, 'bob');
    await page.getByTestId('sso-error').filter({ hasText: 'not allowed' }).waitFor();
    assert.equal((await me(page)).status, 401);
    assert.equal((await audit('policy.technicianLogin')).at(-1)?.outcome, 'deny');
    await page.context().close();

    await configure(['oidc', 'totp'], { totp: { requiredRoles: ['technician'] } });
    page = await freshPage();
    await ssoLogin(page, 'bob');
    await page.getByTestId('sso-continue').waitFor();
    await page.getByTestId('mfa-qr').waitFor();
    const secret = (await page.getByTestId('mfa-secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel('One-time code').fill('000000');
    await page.getByTestId('login-submit').click();
    await page.getByRole('alert').filter({ hasText: 'wrong or was already used' }).waitFor();
    await page.getByLabel('One-time code').fill(generateSync({ secret }));
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/console');
    assert.equal((await me(page)).body.user.email, 'bob@example.test');
    await page.context().close();
    await configure(['oidc']);
  });

  it('refuses a locked account at the callback, and unknown people when accounts are not created', async () => {
    // Five wrong passwords lock carol's account (created by her first login); the provider's word does not unlock it.
    let page = await freshPage();
    await ssoLogin(page, 'carol');
    await page.waitForURL('**/console');
    await page.context().close();
    page = await freshPage();
    await page.goto(`${appliance.url}/login`);
    await page.evaluate(async () => {
      for (let i = 0; i < 5; i += 1) {
        await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'carol@example.test', password: 'wrong-password' }) });
      }
    });
    await ssoLogin(page, 'carol');
    await page.getByTestId('sso-error').filter({ hasText: 'locked' }).waitFor();
    assert.equal(JSON.parse((await audit('auth.login')).at(-1)!.details ?? '{}').reason, 'locked');
    await page.context().close();

    await configure(['oidc'], {}, { createAccounts: false });
    idp.people.set('dave', { email: 'dave@example.test', name: 'Dave', groups: ['staff'] });
    page = await freshPage();
    await ssoLogin(page, 'dave');
    await page.getByTestId('sso-error').filter({ hasText: 'no account here' }).waitFor();
    assert.equal(await appliance.services.db.selectFrom('users').select('id').where('email', '=', 'dave@example.test').executeTakeFirst(), undefined);
    await page.context().close();
  });
});
