import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

const ipSettings = {
  login: { default: ['10.0.0.0/8'] },
  customers: { companyRanges: ['172.16.0.0/12'], internalGroups: ['Internal IT'] },
  agents: { ranges: ['198.51.100.0/24'] },
};

async function login(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const auditCount = async (appliance: RunningAppliance): Promise<number> =>
  Number((await appliance.services.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

// Real browser against the real server: a network admin tests policies on /admin/policy and sees
// the ip-restrictions plugin's deny with its trace, while nothing is written; an account admin
// sees where each plugin's state comes from and its hooks by name.
test('test a policy: ip-restrictions denies with its trace, without side effects', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rb-explain-'));
  const config = loadConfig({
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', TLS: 'off', LOG_LEVEL: 'silent', RELAY_PORT: '0',
    ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', PLUGINS: 'ip-restrictions', PLUGIN_SETTINGS: JSON.stringify({ 'ip-restrictions': ipSettings }),
  });
  const appliance = await startAppliance(config, { logger: createLogger('silent') });
  const { db, clock } = appliance.services;
  const account = async (email: string, role: 'network_admin' | 'technician') =>
    insertUser(db, clock, { email, role, passwordHash: await hashPassword('Field-secret-2026'), groups: [], enabled: true, displayName: email });
  await account('net@example.test', 'network_admin');
  await account('tina@example.test', 'technician');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await login(page, appliance.url, 'net@example.test', 'Field-secret-2026');
    await page.click('nav a[href="/admin/policy"]');
    await page.waitForURL('**/admin/policy');
    await page.getByTestId('policy-no-side-effects').filter({ hasText: 'Nothing is changed' }).waitFor();
    const before = await auditCount(appliance);

    // A technician's login from outside the default range: refused by ip-restrictions.
    await page.locator('#policy-email').fill('tina@example.test');
    await page.locator('#policy-ip').fill('203.0.113.9');
    await page.getByTestId('policy-run').click();
    const decision = page.getByTestId('policy-decision');
    await decision.and(page.locator('[data-outcome="deny"]')).waitFor();
    assert.match(await decision.innerText(), /ip_login_not_allowed/);
    const step = page.getByTestId('policy-step').and(page.locator('[data-plugin="ip-restrictions"]'));
    const cells = await step.locator('td').allInnerTexts();
    assert.equal(cells[0], 'ip-restrictions');
    assert.equal(cells[1], 'deny');
    assert.equal(cells[2], 'ip_login_not_allowed');
    assert.match(cells[3]!, /Logging in from this network is not allowed for this account\.\s+Logging in from 203\.0\.113\.9 is not allowed for this account \(rule: default\)\./);
    assert.match(cells[4]!, /^\d+(\.\d+)?$/);

    // The same technician from inside the range is allowed.
    await page.locator('#policy-ip').fill('10.1.2.3');
    await page.getByTestId('policy-run').click();
    await decision.and(page.locator('[data-outcome="allow"]')).waitFor();

    // PIN redeem: the hook's own fields appear; a company-network customer and an outside technician's PIN.
    await page.locator('#policy-hook').selectOption('pinRedeem');
    await page.getByLabel('Technician who issued the PIN (e-mail)').fill('tina@example.test');
    await page.locator('#policy-pin').fill('123456');
    await page.locator('#policy-pin-channel').fill('pin-page');
    await page.locator('#policy-origin').fill('https://support.example.test');
    await page.locator('#policy-form-token').fill('not-a-real-token');
    await page.locator('#policy-ip').fill('172.16.4.4');
    await page.getByTestId('policy-run').click();
    await page.getByTestId('policy-decision').filter({ hasText: 'company_network_foreign_pin' }).waitFor();

    // Agent connect from outside the agents' ranges.
    await page.locator('#policy-hook').selectOption('agentConnect');
    assert.equal(await page.locator('#policy-email').count(), 0, 'agentConnect asks for no account');
    await page.locator('#policy-ip').fill('203.0.113.1');
    await page.getByTestId('policy-run').click();
    await page.getByTestId('policy-decision').filter({ hasText: 'agent_ip_not_allowed' }).waitFor();
    assert.equal(await auditCount(appliance), before, 'explain writes no audit entry');

    // The account admin's plugin table: where the state comes from, hooks by name.
    const owner = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
    owner.on('pageerror', (e) => problems.push(e.message));
    await login(owner, appliance.url, 'boss@example.test', 'Owner-secret-2026');
    await owner.click('nav a[href="/admin/plugins"]');
    const row = owner.getByTestId('plugin-row').and(owner.locator('[data-plugin="ip-restrictions"]'));
    await row.waitFor();
    assert.equal(await row.getByTestId('plugin-source').innerText(), 'from config');
    const text = await row.innerText();
    for (const hook of ['Technician login', 'PIN issue', 'PIN redeem', 'Agent connect']) assert.match(text, new RegExp(hook));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await appliance.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
