import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

/** A tiny website on loopback: serves whatever page the test puts in `page.html`. */
async function website(host: string): Promise<{ server: Server; origin: string; page: { html: string } }> {
  const page = { html: '' };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Company website</title></head><body>${page.html}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, origin: `http://${host === '127.0.0.1' ? '127.0.0.1' : 'localhost'}:${(server.address() as AddressInfo).port}`, page };
}

/** Logs in over the API; returns a caller that sends cookie and CSRF token. */
async function apiAs(base: string, email: string, password: string) {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown) => fetch(`${base}${path}`, {
    method, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: body === undefined ? null : JSON.stringify(body),
  });
}

// The PIN form hosted on the company's website, in a real browser: the approved origin
// (localhost) gets a join code on the appliance; the same page copied to a foreign origin
// (127.0.0.1), or with a forged token, gets a refusal and the PIN stays unused.
describe('domain validation in a real browser', () => {
  let dataDir: string;
  let appliance: RunningAppliance;
  let browser: Browser;
  let approved: Awaited<ReturnType<typeof website>>;
  let foreign: Awaited<ReturnType<typeof website>>;
  let api: Awaited<ReturnType<typeof apiAs>>;
  let page: Page;
  let snippet: string;

  before(async () => {
    approved = await website('localhost');
    foreign = await website('127.0.0.1');
    dataDir = mkdtempSync(join(tmpdir(), 'rb-dv-'));
    const config = loadConfig({
      DATA_DIR: dataDir, TLS: 'off', PORT: '0', HOST: '127.0.0.1', ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', LOG_LEVEL: 'silent', RELAY_PORT: '0',
      PLUGINS: 'company-pin,domain-validation', PLUGIN_SETTINGS: JSON.stringify({ 'domain-validation': { domains: [approved.origin] } }),
    });
    appliance = await startAppliance(config, { logger: createLogger('silent') });
    api = await apiAs(appliance.url, 'boss@example.test', 'Owner-secret-2026');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  });
  after(async () => {
    await browser?.close();
    await appliance?.close();
    approved?.server.close();
    foreign?.server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const newPin = async (): Promise<string> => ((await (await api('POST', '/api/v1/sessions', { pinChannel: 'pin-page' })).json()) as { pin: string }).pin;
  const submit = async (origin: string, pin: string) => {
    await page.goto(`${origin}/`);
    await page.locator('#rescuebox-pin').fill(pin);
    await page.locator('form.rescuebox-form button[type=submit]').click();
  };

  it('the admin generates the snippet in the console', async () => {
    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('E-mail').fill('boss@example.test');
    await page.getByLabel('Password').fill('Owner-secret-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/admin/users');
    await page.click('nav a[href="/admin/snippet"]');
    await page.getByTestId('snippet-domains').filter({ hasText: approved.origin }).waitFor();
    // The account admin edits the approved list here (a new list version).
    await page.getByTestId('snippet-domains-edit').fill(`${approved.origin}\nhttps://www.example.com/`);
    await page.getByTestId('snippet-domains-save').click();
    await page.getByTestId('snippet-domains').filter({ hasText: 'https://www.example.com' }).waitFor();
    await page.getByLabel('Button', { exact: true }).fill('Get help now');
    await page.getByTestId('snippet-generate').click();
    snippet = await page.getByTestId('snippet-html').inputValue();
    assert.match(snippet, new RegExp(`action="${appliance.url}/api/v1/plugins/domain-validation/pin"`));
    assert.match(snippet, /Get help now/);
    approved.page.html = snippet;
    foreign.page.html = snippet; // the "dummy" copy
  });

  it('a PIN from the approved origin lands on the appliance with a join code', async () => {
    const pin = await newPin();
    await submit(approved.origin, pin);
    await page.waitForURL(`${appliance.url}/pin`);
    await page.getByTestId('help-download').click();
    // The first download prepares (binds and signs) every program on this appliance: give it time.
    await page.getByTestId('agent-command').waitFor({ timeout: 180_000 });
    const command = await page.getByTestId('agent-command').textContent();
    assert.match(command ?? '', new RegExp(`--join \\S+ --pin ${pin}$`));
    assert.equal(new URL(page.url()).hash, ''); // the fragment with the join code is cleared
  });

  it('the same form copied to a foreign origin is refused and the PIN stays unused', async () => {
    const pin = await newPin();
    const response = page.waitForResponse((r) => r.url().endsWith('/domain-validation/pin'));
    await submit(foreign.origin, pin);
    assert.equal((await response).status(), 403);
    await page.getByText('Support form refused').waitFor();
    assert.match(await page.content(), /origin_not_approved/);
    const res = await fetch(`${appliance.url}/api/v1/pin/join-code`, { method: 'POST', headers: { 'content-type': 'application/json', origin: appliance.url }, body: JSON.stringify({ pin }) });
    assert.equal(res.status, 200);
  });

  it('a copied form with a forged token is refused even on the approved origin', async () => {
    const forged = snippet.replace(/value="dv1\.([^."]+)\.[^"]+"/, 'value="dv1.$1.forgedforgedforgedforgedforgedforgedforged"');
    assert.notEqual(forged, snippet);
    approved.page.html = forged;
    await submit(approved.origin, await newPin());
    await page.getByText('Support form refused').waitFor();
    assert.match(await page.content(), /form_token_invalid/);
    const audit = (await (await api('GET', '/api/v1/audit?action=web_form.refused')).json()) as { entries: { details: { code: string } }[] };
    assert.deepEqual(audit.entries.map((e) => e.details.code), ['form_token_invalid', 'origin_not_approved']);
  });
});
