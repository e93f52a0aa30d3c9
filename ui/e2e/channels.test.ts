import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';
import { AgentProcess } from './agent-process.js';

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

async function login(context: BrowserContext, base: string, email: string, password: string, home: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`**${home}`);
  return page;
}

// A channel link end to end in the browser: the admin creates it on the channel page, the
// customer starts support from it without a PIN, a technician of the group picks the session
// up from the console queue; once revoked, the link starts nothing.
describe('channel links in a real browser', () => {
  let dataDir: string;
  let appliance: RunningAppliance;
  let browser: Browser;
  let admin: Page;
  let url: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rb-ch-'));
    const config = loadConfig({
      DATA_DIR: dataDir, TLS: 'off', PORT: '0', HOST: '127.0.0.1', ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', LOG_LEVEL: 'silent', RELAY_PORT: '0', PLUGINS: 'company-pin',
    });
    appliance = await startAppliance(config, { logger: createLogger('silent') });
    const api = await apiAs(appliance.url, 'boss@example.test', 'Owner-secret-2026');
    const group = (await (await api('POST', '/api/v1/groups', { name: 'Hotline', permissions: [] })).json()) as { group?: { id: string }; id?: string };
    const groupId = group.group?.id ?? group.id!;
    assert.equal((await api('POST', '/api/v1/users', { email: 'tina@example.test', password: 'Field-secret-2026', role: 'technician', groups: [groupId] })).status, 201);
    assert.equal((await api('POST', '/api/v1/users', { email: 'otto@example.test', password: 'Other-secret-2026', role: 'technician' })).status, 201);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    admin = await login(await browser.newContext({ locale: 'en-US' }), appliance.url, 'boss@example.test', 'Owner-secret-2026', '/admin/users');
  });
  after(async () => {
    await browser?.close();
    await appliance?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the admin creates a link for the group', async () => {
    await admin.click('nav a[href="/admin/channels"]');
    await admin.getByLabel('Name').fill('Desktop shortcut');
    await admin.getByLabel('Technician group').selectOption({ label: 'Hotline' });
    await admin.getByTestId('channel-create').click();
    url = (await admin.getByTestId('channel-url').first().textContent())!;
    assert.match(url, new RegExp(`^${appliance.url}/pin\\?channel=cl1\\.`));
  });

  it('the customer starts support without a PIN; only the group\'s technician sees and picks it up', async () => {
    const customer = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await customer.goto(url);
    await customer.getByTestId('channel-start').click();
    await customer.getByTestId('help-download').click();
    // The first download prepares (binds and signs) every program on this appliance: give it time.
    await customer.getByTestId('agent-command').waitFor({ timeout: 180_000 });
    const command = (await customer.getByTestId('agent-command').textContent())!;
    assert.match(command, /--join \S+ --pin \d{6}$/);
    const code = /--pin (\d+)$/.exec(command)![1]!;
    // The real agent joins with the page's command and waits in the queue for a technician.
    const joinCode = /--join (\S+)/.exec(command)![1]!;
    const agent = new AgentProcess(['--server', appliance.url, '--join', joinCode, '--pin', code, '--ports', new URL(appliance.url).port]);
    after(() => agent.kill());

    const other = await login(await browser.newContext({ locale: 'en-US' }), appliance.url, 'otto@example.test', 'Other-secret-2026', '/console');
    await other.getByTestId('channel-queue').getByText('Nobody is waiting.').waitFor(); // loaded, and empty
    assert.equal(await other.getByTestId('queue-row').count(), 0);

    const tech = await login(await browser.newContext({ locale: 'en-US' }), appliance.url, 'tina@example.test', 'Field-secret-2026', '/console');
    await tech.getByTestId('queue-row').waitFor();
    await tech.getByTestId('queue-pick-up').click();
    await tech.waitForURL('**/console/session/*');
    const sessionId = tech.url().split('/').pop()!;
    assert.equal(await tech.evaluate((id) => sessionStorage.getItem(`rescuebox.pin.${id}`), sessionId), code);
    // The picked-up code is the handshake password: both ends show the same short authentication string.
    const ready = await agent.waitFor((e) => e.event === 'ready', 'ready');
    await tech.getByTestId('sas').filter({ hasText: String(ready.sas) }).waitFor();
  });

  it('the PIN page presents the company id; a PIN locked to the agent is refused there', async () => {
    const api = await apiAs(appliance.url, 'tina@example.test', 'Field-secret-2026');
    const issue = async (pinChannel: string) => ((await (await api('POST', '/api/v1/sessions', { pinChannel })).json()) as { pin: string }).pin;
    const customer = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const sent = customer.waitForRequest((r) => r.url().endsWith('/api/v1/pin/join-code'));
    await customer.goto(`${appliance.url}/pin`);
    await customer.locator('#pin-input').fill(await issue('pin-page'));
    await customer.getByTestId('pin-submit').click();
    assert.match(String((JSON.parse((await sent).postData() ?? '{}') as { companyId?: string }).companyId), /^co_/);
    await customer.getByTestId('help-in-browser').waitFor(); // the two-way choice after a valid PIN
    await customer.goto(`${appliance.url}/pin`);
    await customer.locator('#pin-input').fill(await issue('agent'));
    await customer.getByTestId('pin-submit').click();
    await customer.getByTestId('pin-error').waitFor();
    // The wrong channel gets the very answer of an unknown PIN (no oracle); the reason is audited.
    assert.match((await customer.getByTestId('pin-error').textContent())!, /This PIN is not valid/);
  });

  it('a technician locks a new PIN to the agent in the console; the PIN page refuses it', async () => {
    const tech = await login(await browser.newContext({ locale: 'en-US' }), appliance.url, 'tina@example.test', 'Field-secret-2026', '/console');
    await tech.getByTestId('pin-lock').selectOption('agent');
    await tech.getByTestId('new-session').click();
    const pin = (await tech.getByTestId('session-pin').textContent())!.replace(/\D/g, '');
    const customer = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await customer.goto(`${appliance.url}/pin`);
    await customer.locator('#pin-input').fill(pin);
    await customer.getByTestId('pin-submit').click();
    await customer.getByTestId('pin-error').filter({ hasText: 'This PIN is not valid' }).waitFor();
    const agent = await fetch(`${appliance.url}/api/v1/pin/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin }) });
    assert.equal(agent.status, 200);
  });

  it('a revoked link starts nothing', async () => {
    await admin.getByTestId('channel-revoke').click();
    await admin.getByRole('button', { name: /Revoke|Yes|Confirm/ }).last().click();
    await admin.locator('[data-testid="channel-row"][data-status="revoked"]').waitFor();
    const customer = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await customer.goto(url);
    await customer.getByTestId('channel-start').click();
    await customer.getByTestId('channel-error').filter({ hasText: 'not valid' }).waitFor();
  });
});
