import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSync } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

// Real browser against the real server on loopback, real clock: enrol an authenticator in the
// profile (the test plays the app: it reads the key shown for manual entry and computes codes
// with otplib), log out, log in with a code; and a technician whose role requires MFA enrols at login.
const ADMIN = { email: 'admin@example.test', password: 'Owner-secret-2026' };
const TECH = { email: 'tech@example.test', password: 'Field-secret-2026' };

/** The code an authenticator shows `steps` time steps from now (a step used once is never accepted again). */
const code = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function submitLogin(page: Page, url: string, who: { email: string; password: string }) {
  await page.goto(`${url}/login`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByTestId('login-submit').click();
}

describe('two-factor authentication in Chromium', () => {
  let appliance: RunningAppliance;
  let browser: Browser;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rb-e2e-mfa-'));
    const config = loadConfig({
      DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', RELAY_PORT: '0', PLUGINS: 'totp',
    });
    appliance = await startAppliance(config, { logger: createLogger('silent') });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await appliance?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('enrols in the profile, then logging in asks for the code and lets the right one in', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    const page = await context.newPage();
    await submitLogin(page, appliance.url, ADMIN);
    await page.waitForURL('**/admin/users');

    await page.goto(`${appliance.url}/profile`);
    await page.getByTestId('mfa-start').click();
    await page.getByTestId('mfa-qr').waitFor();
    assert.match(String(await page.getByTestId('mfa-qr').getAttribute('src')), /^data:image\/png;base64,/);
    const secret = (await page.getByTestId('mfa-secret').textContent())!.replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.getByLabel('One-time code').fill(code(secret));
    await page.getByTestId('mfa-confirm').click();
    const codes = await page.getByTestId('mfa-recovery-codes').locator('li').allTextContents();
    assert.equal(codes.length, 10);
    await page.getByTestId('mfa-recovery-done').click();
    await page.getByTestId('mfa-on').waitFor();

    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await submitLogin(page, appliance.url, ADMIN);
    const codeField = page.getByLabel('One-time code');
    await codeField.waitFor();
    await codeField.fill('000000');
    await page.getByTestId('login-submit').click();
    await page.getByRole('alert').filter({ hasText: 'wrong or was already used' }).waitFor();
    // The confirming code's step is spent: the next step's code (within the ±1 drift) is the one to use.
    await codeField.fill(code(secret, 1));
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/admin/users');
    await context.close();
  });

  it('shows the QR code at login when the role requires MFA, and the first code enrols and logs in', async () => {
    const { services, plugins } = appliance;
    const admin = (await services.db.selectFrom('users').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow()).id;
    await plugins.change('totp', { settings: { requiredRoles: ['technician'] } }, admin);
    await insertUser(services.db, services.clock, { email: TECH.email, role: 'technician', passwordHash: await hashPassword(TECH.password), displayName: 'Tina Tech', groups: [], enabled: true });

    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('E-Mail').fill(TECH.email);
    await page.getByLabel('Passwort').fill(TECH.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('mfa-enrolment-required').waitFor();
    await page.getByTestId('mfa-qr').waitFor();
    const secret = (await page.getByTestId('mfa-secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel('Einmalcode').fill(code(secret));
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/console');
    const row = await services.db.selectFrom('totp_enrolments').innerJoin('users', 'users.id', 'totp_enrolments.user_id').select('confirmed_at').where('users.email', '=', TECH.email).executeTakeFirstOrThrow();
    assert.notEqual(row.confirmed_at, null);
    await context.close();
  });

  it('lets an admin remove a lost authenticator in the user editor; the account enrols again at its next login', async () => {
    // A network admin without an authenticator of its own (MFA is required of technicians only).
    const helpdeskAdmin = { email: 'netadmin@example.test', password: 'Network-secret-2026' };
    const { services } = appliance;
    await insertUser(services.db, services.clock, { email: helpdeskAdmin.email, role: 'network_admin', passwordHash: await hashPassword(helpdeskAdmin.password), displayName: 'Nora', groups: [], enabled: true });
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    const page = await context.newPage();
    await submitLogin(page, appliance.url, helpdeskAdmin);
    await page.waitForURL('**/admin/users');
    await page.locator(`[data-testid="user-row"][data-email="${TECH.email}"]`).getByTestId('user-edit').click();
    await page.getByTestId('mfa-admin-reset').click();
    await page.getByTestId('mfa-admin-reset-yes').click();
    await page.getByRole('status').filter({ hasText: 'Authenticator removed.' }).waitFor();
    const audit = await appliance.services.db.selectFrom('audit_log').select('outcome').where('action', '=', 'mfa.admin_reset').execute();
    assert.deepEqual(audit.map((r) => r.outcome), ['success']);

    const tech = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' })).newPage();
    await submitLogin(tech, appliance.url, TECH);
    await tech.getByTestId('mfa-enrolment-required').waitFor();
    await context.close();
  });
});
