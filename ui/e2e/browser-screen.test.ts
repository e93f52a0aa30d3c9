import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { bothConnected, customerJoins, newPin, startBrowserTestbed, type BrowserTestbed } from './browser-testbed.js';

// Screen sharing from a customer's browser page into the console's screen panel, with
// Chromium's fake capture (auto-accepted picker, the fake "entire screen": a known 1280×720
// picture — green ground, bright corner squares, a light-green disk in the middle). Once as
// WebCodecs video, once in a page without VideoEncoder (the tile fallback).
const CAPTURE_FLAGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--auto-select-desktop-capture-source=Entire screen'];

/** Points of the fake capture that do not move, and their colour there. */
const KNOWN: { x: number; y: number; rgb: [number, number, number] }[] = [
  { x: 1240, y: 40, rgb: [0, 255, 0] }, // top-right square
  { x: 40, y: 680, rgb: [0, 255, 0] }, // bottom-left square
  { x: 320, y: 600, rgb: [0, 135, 0] }, // ground
  { x: 1000, y: 200, rgb: [0, 135, 0] },
  { x: 560, y: 450, rgb: [74, 255, 22] }, // the disk's lower left (its mouth opens to the right)
];
const TOLERANCE = 40;

/** The console's canvas at the known points. */
async function canvasPixels(tech: Page): Promise<{ width: number; height: number; pixels: number[][] }> {
  return tech.getByTestId('screen-canvas').evaluate((canvas: HTMLCanvasElement, points) => {
    const context = canvas.getContext('2d')!;
    return { width: canvas.width, height: canvas.height, pixels: points.map((p) => Array.from(context.getImageData(p.x, p.y, 1, 1).data).slice(0, 3)) };
  }, KNOWN.map(({ x, y }) => ({ x, y })));
}

async function assertKnownPicture(tech: Page): Promise<void> {
  // Let a few frames arrive (the first video frames may still be soft).
  let last: Awaited<ReturnType<typeof canvasPixels>> | null = null;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    last = await canvasPixels(tech);
    if (last.width === 1280 && last.height === 720 && last.pixels.every((px, i) => px.every((v, c) => Math.abs(v - KNOWN[i]!.rgb[c]!) <= TOLERANCE))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`the console does not show the known picture: ${JSON.stringify(last)} vs ${JSON.stringify(KNOWN.map((k) => k.rgb))}`);
}

async function frames(tech: Page): Promise<number> {
  return Number(await tech.getByTestId('screen-canvas').getAttribute('data-frames') ?? 0);
}

describe('screen sharing from a browser customer', () => {
  let bed: BrowserTestbed;
  before(async () => {
    bed = await startBrowserTestbed({ args: CAPTURE_FLAGS });
  });
  after(async () => {
    await bed?.close();
  });

  async function connected(withoutVideoEncoder = false): Promise<{ tech: Page; customer: Page }> {
    const tech = await bed.technician();
    const pin = await newPin(tech);
    const customer = await bed.customer();
    if (withoutVideoEncoder) await customer.addInitScript(() => { delete (globalThis as { VideoEncoder?: unknown }).VideoEncoder; });
    await customerJoins(customer, bed.appliance.url, pin);
    await bothConnected(tech, customer);
    return { tech, customer };
  }

  const prompt = (customer: Page) => customer.locator('[data-testid="consent-prompt"][data-capability="screen.view"]');

  it('as video: refused once, then shared; the console shows the known picture, says there is no remote input; the customer stops', async () => {
    const { tech, customer } = await connected();
    await tech.getByTestId('screen-browser-note').waitFor();
    await tech.getByTestId('screen-request-view').click();
    await prompt(customer).getByTestId('consent-refuse').click();
    await tech.locator('[data-testid="screen-status"][data-view="refused"]').waitFor();

    await tech.getByTestId('screen-request-view').click();
    await prompt(customer).getByTestId('consent-allow').click();
    await customer.getByTestId('customer-sharing').waitFor();
    await tech.locator('[data-testid="screen-status"][data-view="on"]').waitFor();
    await assertKnownPicture(tech);
    const before = await frames(tech);
    await tech.waitForFunction((n) => Number(document.querySelector('[data-testid="screen-canvas"]')?.getAttribute('data-frames') ?? 0) > n + 5, before);
    assert.equal(await tech.getByTestId('screen-canvas').getAttribute('data-last-frame'), null, 'video, not tiles');
    assert.equal(await tech.getByTestId('screen-request-control').count(), 0, 'no remote control offered for a page');
    assert.match(await tech.getByTestId('screen-stats').innerText(), /1280.720/);

    await customer.getByTestId('customer-stop-sharing').click();
    await tech.locator('[data-testid="screen-status"][data-view="stopped"]').waitFor();
    assert.match(await tech.getByTestId('screen-status').innerText(), /customer/i);
    await customer.getByTestId('customer-sharing').waitFor({ state: 'detached' });
    const actions = (await bed.appliance.services.db.selectFrom('audit_log').select('action').where('action', 'like', 'screen.%').execute()).map((r) => r.action);
    assert.deepEqual(actions, ['screen.view.start', 'screen.view.stop']);
    await customer.getByTestId('customer-end').click();
    await tech.getByTestId('session-ended').waitFor();
  });

  it('without VideoEncoder the page falls back to JPEG tiles, and the console shows the same picture', async () => {
    const { tech, customer } = await connected(true);
    await tech.getByTestId('screen-request-view').click();
    await prompt(customer).getByTestId('consent-allow').click();
    await tech.locator('[data-testid="screen-status"][data-view="on"]').waitFor();
    await assertKnownPicture(tech);
    assert.match(await tech.getByTestId('screen-canvas').getAttribute('data-first-frame') ?? '', /jpeg/);
    // the technician stops viewing; the page stops capturing
    await tech.getByTestId('screen-stop-view').click();
    await customer.getByTestId('customer-sharing').waitFor({ state: 'detached' });
    await tech.locator('[data-testid="screen-status"][data-view="stopped"]').waitFor();
  });
});
