import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { insertGroup } from '../../core/accounts/groups.js';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';

/**
 * The browser-customer test bed: the real appliance (broker + relay, TLS) with a relay tap
 * recording every forwarded byte, a technician account, and one real Chromium in which the
 * technician's console and the customer's page run in separate contexts.
 */
export const TECH = { email: 'bea@example.test', password: 'Field-secret-2026', name: 'Bea Tech' };

export interface BrowserTestbed {
  appliance: RunningAppliance;
  browser: Browser;
  dir: string;
  /** Every byte the relay forwarded, either way. */
  forwarded: Buffer[];
  technician(): Promise<Page>;
  customer(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the appliance and Chromium; `launch` adds browser flags (fake capture for the screen tests). */
export async function startBrowserTestbed(launch: LaunchOptions = {}): Promise<BrowserTestbed> {
  const dir = mkdtempSync(join(tmpdir(), 'rb-browser-'));
  const forwarded: Buffer[] = [];
  const config = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', RELAY_PORT: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'Owner-secret-2026' });
  const appliance = await startAppliance(config, { logger: createLogger('silent'), relayTap: (_sid, _from, bytes) => void forwarded.push(Buffer.from(bytes)) });
  const { db, clock } = appliance.services;
  const group = await insertGroup(db, clock, { name: 'Support', permissions: ['file_transfer', 'diagnostics', 'remote_view', 'remote_control', 'service_desk'] });
  await insertUser(db, clock, { email: TECH.email, role: 'technician', passwordHash: await hashPassword(TECH.password), groups: [group.id], displayName: TECH.name });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', ...launch,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...(launch.args ?? [])],
  });
  return {
    appliance, browser, dir, forwarded,
    async technician() {
      const page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', acceptDownloads: true })).newPage();
      await page.goto(`${appliance.url}/login`);
      await page.getByLabel('E-mail').fill(TECH.email);
      await page.getByLabel('Password').fill(TECH.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL('**/console');
      return page;
    },
    async customer(options = {}) {
      return (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', acceptDownloads: true, ...options })).newPage();
    },
    async close() {
      await browser.close();
      await appliance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The technician opens a new session; returns its PIN. */
export async function newPin(page: Page): Promise<string> {
  await page.getByTestId('new-session').click();
  return (await page.getByTestId('session-pin').innerText()).replace(/\D/g, '');
}

/** The customer enters the PIN on the PIN page and takes the default way: help in this browser. */
export async function customerJoins(page: Page, applianceUrl: string, pin: string): Promise<void> {
  await page.goto(`${applianceUrl}/pin`);
  await page.locator('#pin-input').fill(pin);
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('help-in-browser').click();
}

/** Both sides connected: returns the security code the customer's page shows (after checking the console shows the same). */
export async function bothConnected(tech: Page, customer: Page): Promise<string> {
  await tech.getByTestId('session-row').first().getByTestId('session-join').click();
  const sas = (await customer.getByTestId('customer-sas').innerText()).trim();
  await tech.getByTestId('sas').filter({ hasText: sas }).waitFor();
  return sas;
}
