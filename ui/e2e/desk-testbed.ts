import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { insertGroup } from '../../core/accounts/groups.js';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

/**
 * The real appliance over TLS on loopback with a service-desk technician and a portal customer,
 * and a real Chromium: shared by the desk and portal browser tests.
 */

/** The accounts the tests log in with. */
export const TECH = { email: 'tom@example.test', password: 'Field-secret-2026', name: 'Tom Tech' };
export const CUSTOMER = { email: 'carla@example.test', password: 'Client-secret-2026', name: 'Carla Customer' };

/** What a browser test needs: the appliance, the browser, and a way to clean up. */
export interface DeskTestbed {
  appliance: RunningAppliance;
  browser: Browser;
  /** Moves the appliance's clock ahead of real time (SLA due times, breaches). */
  skipAhead(ms: number): void;
  close(): Promise<void>;
}

/** Starts the appliance (fresh data dir) and Chromium, with the technician and the customer. */
export async function startDeskTestbed(): Promise<DeskTestbed> {
  const dir = mkdtempSync(join(tmpdir(), 'rb-desk-e2e-'));
  const config = loadConfig({
    DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', RELAY_PORT: '0', LOG_LEVEL: 'silent',
    ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', LOGIN_RATE_LIMIT: '1000',
    SESSION_IDLE_MINUTES: '1440', SESSION_MAX_HOURS: '720',
  });
  // Real time plus a skew the tests can add to: the server's clock, seen by the SLA and the UI alike.
  let skew = 0;
  const appliance = await startAppliance(config, { logger: createLogger('silent'), clock: { now: () => Date.now() + skew } });
  const { db, clock } = appliance.services;
  const group = await insertGroup(db, clock, { name: 'Hotline', permissions: ['service_desk'] });
  await insertUser(db, clock, { email: TECH.email, role: 'technician', passwordHash: await hashPassword(TECH.password), groups: [group.id], displayName: TECH.name });
  await insertUser(db, clock, { email: CUSTOMER.email, role: 'customer', passwordHash: await hashPassword(CUSTOMER.password), displayName: CUSTOMER.name });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  return {
    appliance, browser,
    skipAhead: (ms) => {
      skew += ms;
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await appliance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function logNetworkTrouble(what: string): void {
  console.error(`[desk page ${new Date().toISOString()}] ${what}`);
}

/** A logged-in page for one account, and the problems it saw (page errors, CSP reports, dialogs). */
export interface LoggedIn {
  page: Page;
  problems: string[];
}

/**
 * Logs in through the login page in a fresh browser context and waits for the role's home.
 * Every page error, CSP refusal and JavaScript dialog is recorded: a test ends by asserting none.
 */
export async function logIn(bed: DeskTestbed, account: { email: string; password: string }, home: string): Promise<LoggedIn> {
  const context = await bed.browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // Failed and 5xx requests are printed at once (not counted as problems: navigating away aborts
  // requests in flight): when a later wait times out, the log says which request went wrong.
  page.on('requestfailed', (r) => logNetworkTrouble(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 500) logNetworkTrouble(`server error: ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  await page.goto(`${bed.appliance.url}/login`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`**${home}`);
  return { page, problems };
}
