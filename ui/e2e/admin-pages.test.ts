import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { startAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

// Real browser against the real server: every admin page once, with the error paths a person
// meets (weak password, invalid plugin settings, wrong current password) and "log out everywhere".
test('every admin page against the real server', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rb-smoke-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', LOG_LEVEL: 'silent', RELAY_PORT: '0', PLUGINS: 'login-hours' });
  const appliance = await startAppliance(config, { logger: createLogger('silent') });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const problems: string[] = [];
  try {
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) problems.push(m.text());
    });
    // The root is the customers' PIN page; it links staff to the login.
    await page.goto(`${appliance.url}/`);
    await page.getByTestId('staff-login').click();
    await page.waitForURL('**/login');
    await page.getByLabel('E-mail').fill('boss@example.test');
    await page.getByLabel('Password').fill('Owner-secret-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/admin/users');
    // a group, then a technician in it
    await page.click('nav a[href="/admin/groups"]');
    await page.locator('#group-name').fill('Hotline');
    await page.getByLabel('Remote view').check();
    await page.getByTestId('group-save').click();
    await page.getByTestId('group-row').filter({ hasText: 'Hotline' }).waitFor();
    await page.click('nav a[href="/admin/users"]');
    await page.locator('#user-email').fill('tina@example.test');
    await page.locator('#user-password').fill('short');
    await page.getByTestId('user-create').click();
    await page.locator('.error').filter({ hasText: 'Password too weak' }).waitFor();
    await page.locator('#user-password').fill('Field-secret-2026');
    await page.getByLabel('Hotline').check();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-row').filter({ hasText: 'Hotline' }).waitFor();
    await page.click('nav a[href="/admin/audit"]');
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByTestId('audit-verify').click();
    await page.locator('.ok').filter({ hasText: 'Chain intact' }).waitFor();
    await page.click('nav a[href="/admin/plugins"]');
    await page.getByTestId('plugin-row').first().waitFor();
    await page.getByTestId('plugin-row').first().getByRole('button', { name: /^Settings/ }).click();
    await page.locator('textarea').fill('{"from": "25:00"}');
    await page.getByTestId('plugin-settings-save').click();
    await page.locator('.error').waitFor();
    await page.locator('#policy-email').fill('tina@example.test');
    await page.getByTestId('policy-run').click();
    await page.getByTestId('policy-trace').waitFor();
    await page.click('nav a[href="/profile"]');
    await page.locator('#token-name').fill('CI');
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-secret').waitFor();
    await page.locator('#profile-current').fill('wrong-password-1');
    await page.locator('#profile-new').fill('Another-secret-2027');
    await page.locator('#profile-repeat').fill('Another-secret-2027');
    await page.getByTestId('password-change').click();
    await page.locator('.error').filter({ hasText: 'wrong' }).waitFor();
    assert.equal(page.url().endsWith('/profile'), true, 'a wrong current password keeps the user on the page');
    await page.getByTestId('logout-all').click();
    await page.waitForURL('**/login');
    await page.goto(`${appliance.url}/admin/users`);
    await page.waitForURL('**/login');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await appliance.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
