/**
 * Browser-customer benchmark, one run (`npm run bench:browser`, about a minute):
 * 1. PIN → first chat possible: the technician waits in the session; the customer types the
 *    PIN, takes "help in this browser", and the page's chat input is enabled (keys confirmed).
 * 2. Screen from the page with Chromium's fake capture (1280×720, an animated disk and a running
 *    clock: a small moving image), through the real appliance and relay: frames per second as
 *    the console paints them and bytes per second as the relay forwards them from the customer,
 *    for WebCodecs video and for the JPEG-tile fallback (the baseline, same run).
 * Not here: the agent's streamer on the same content. Chromium cannot capture a real Xvfb
 * screen in this environment (getDisplayMedia: NotReadableError), so the two cannot see one
 * picture; bench/screen measures the agent on Xvfb.
 */
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

const WARMUP_MS = 2_000;
const MEASURE_MS = 6_000;
const TECH = { email: 'bench@example.test', password: 'Bench-secret-2026' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let customerBytes = 0;

async function appliance(dir: string): Promise<RunningAppliance> {
  const config = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', RELAY_PORT: '0', LOG_LEVEL: 'silent', PIN_RATE_LIMIT_PER_IP: '1000', ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'Owner-secret-2026' });
  const running = await startAppliance(config, { logger: createLogger('silent'), relayTap: (_sid, from, bytes) => void (from === 'customer' && (customerBytes += bytes.length)) });
  const { db, clock } = running.services;
  const group = await insertGroup(db, clock, { name: 'Bench', permissions: ['remote_view', 'diagnostics', 'file_transfer'] });
  await insertUser(db, clock, { email: TECH.email, role: 'technician', passwordHash: await hashPassword(TECH.password), groups: [group.id], displayName: 'Bench' });
  return running;
}

async function technician(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' })).newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel('E-mail').fill(TECH.email);
  await page.getByLabel('Password').fill(TECH.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/console');
  return page;
}

/** One session: returns the pages and the PIN → chat-enabled time in ms. */
async function session(browser: Browser, url: string, withoutVideoEncoder = false): Promise<{ tech: Page; customer: Page; ms: number }> {
  const tech = await technician(browser, url);
  await tech.getByTestId('new-session').click();
  const pin = (await tech.getByTestId('session-pin').innerText()).replace(/\D/g, '');
  await tech.getByTestId('session-row').first().getByTestId('session-join').click();
  await tech.locator('[data-testid="connection-state"][data-phase="waiting"]').waitFor();
  const customer = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' })).newPage();
  if (withoutVideoEncoder) await customer.addInitScript(() => { delete (globalThis as { VideoEncoder?: unknown }).VideoEncoder; });
  await customer.goto(`${url}/pin`);
  await customer.locator('#pin-input').fill(pin);
  const started = Date.now();
  await customer.getByTestId('pin-submit').click();
  await customer.getByTestId('help-in-browser').click();
  await customer.locator('#chat-input:not([disabled])').waitFor();
  return { tech, customer, ms: Date.now() - started };
}

async function browserScreen(tech: Page, customer: Page): Promise<{ fps: number; bytesPerSecond: number }> {
  await tech.getByTestId('screen-request-view').click();
  await customer.locator('[data-testid="consent-prompt"][data-capability="screen.view"]').getByTestId('consent-allow').click();
  await tech.locator('[data-testid="screen-status"][data-view="on"]').waitFor();
  await sleep(WARMUP_MS);
  const frames = async () => Number((await tech.getByTestId('screen-canvas').getAttribute('data-frames')) ?? 0);
  const f0 = await frames();
  const b0 = customerBytes;
  await sleep(MEASURE_MS);
  const result = { fps: ((await frames()) - f0) / (MEASURE_MS / 1000), bytesPerSecond: (customerBytes - b0) / (MEASURE_MS / 1000) };
  await customer.getByTestId('customer-stop-sharing').click();
  return result;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB/s`;
const ratio = (a: number, b: number) => (b === 0 ? '—' : `${(a / b).toFixed(2)}x`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-browser-'));
  const running = await appliance(dir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--auto-select-desktop-capture-source=Entire screen'],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { tech, customer, ms } = await session(browser, running.url);
      times.push(ms);
      await customer.context().close();
      await tech.context().close();
    }
    times.sort((a, b) => a - b);
    console.log(`PIN → first chat possible (loopback, 5 runs): median ${times[2]} ms, min ${times[0]} ms, max ${times[4]} ms\n`);
    console.log(`Screen from the page, Chromium's fake capture 1280x720, ${MEASURE_MS / 1000} s each; bytes as the relay forwards them.\n`);
    console.log('| sender | fps | bytes | fps vs tiles | bytes/s vs tiles |');
    console.log('| --- | --- | --- | --- | --- |');
    const results: { name: string; fps: number; bytesPerSecond: number }[] = [];
    for (const [name, withoutVideoEncoder] of [['JPEG tiles (no VideoEncoder)', true], ['WebCodecs video', false]] as const) {
      const { tech, customer } = await session(browser, running.url, withoutVideoEncoder);
      results.push({ name, ...(await browserScreen(tech, customer)) });
      await customer.context().close();
      await tech.context().close();
    }
    const base = results[0]!;
    for (const r of results) console.log(`| ${r.name} | ${r.fps.toFixed(1)} | ${kb(r.bytesPerSecond)} | ${ratio(r.fps, base.fps)} | ${ratio(r.bytesPerSecond, base.bytesPerSecond)} |`);
  } finally {
    await browser.close();
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
