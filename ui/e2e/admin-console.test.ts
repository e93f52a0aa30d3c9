import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

// Real browser against the real server on loopback: log in through the UI as the first admin,
// create a technician, then log in as that technician.
const ADMIN = { email: 'admin@example.test', password: 'Owner-secret-2026' };
const TECH = { email: 'tech@example.test', password: 'Field-secret-2026', name: 'Tina Tech' };

describe('admin console in Chromium', () => {
  let appliance: RunningAppliance;
  let browser: Browser;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rb-e2e-'));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', RELAY_PORT: '0' });
    appliance = await startAppliance(config, { logger: createLogger('silent') });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  after(async () => {
    await browser?.close();
    await appliance?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in as admin, creates a technician, and the technician can log in', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text());
    });

    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/admin/users');

    await page.locator('#user-email').fill(TECH.email);
    await page.locator('#user-name').fill(TECH.name);
    await page.locator('#user-password').fill(TECH.password);
    await page.locator('#user-role').selectOption('technician');
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-row').filter({ hasText: TECH.email }).waitFor();

    const stored = await appliance.services.db.selectFrom('users').select(['role', 'display_name']).where('email', '=', TECH.email).executeTakeFirst();
    assert.deepEqual(stored, { role: 'technician', display_name: TECH.name });
    const audited = await appliance.services.db.selectFrom('audit_log').select('action').where('action', '=', 'account.create').execute();
    assert.equal(audited.length, 1);

    const techContext = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    const techPage = await techContext.newPage();
    await techPage.goto(`${appliance.url}/login`);
    await techPage.getByLabel('E-mail').fill(TECH.email);
    await techPage.getByLabel('Password').fill(TECH.password);
    await techPage.getByTestId('login-submit').click();
    await techPage.waitForURL('**/console');
    assert.deepEqual(cspErrors, [], 'the UI runs under the strict CSP');
    await context.close();
    await techContext.close();
  });

  it('shows German to a German browser and switches language on request', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('Passwort').waitFor();
    await page.getByTestId('lang-switch').first().click().catch(() => undefined);
    await context.close();
  });
});
