import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { openDisplay, closeDisplay, type XDisplay } from '../../agent/capabilities/screen/x11-client.js';
import { startXev, startXvfb, waitFor, x, type Xev, type Xvfb } from '../../agent/capabilities/screen/testing/xvfb.js';
import { loadConfig } from '../../config/load.js';
import { insertGroup } from '../../core/accounts/groups.js';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';
import { AgentProcess } from './agent-process.js';

// Screen view, remote control and clipboard with real parts: Xvfb with a known picture, the real agent
// (DISPLAY set) as a child process, the console in Chromium, the relay recording every byte.
const TECH = { email: 'sven@example.test', password: 'Screen-secret-2026' };
const W = 1280;
const H = 800;
/** The photographic part of the picture (tile-aligned): the only place lossy tiles may go. */
const PHOTO = { x: 704, y: 448, w: 320, h: 192 };
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** Runs a command to completion (its exit code does not matter: `display -window root` exits 1). */
function runTo(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => spawn(command, args, { env, stdio: 'ignore' }).once('exit', () => resolve()));
}

/** The root window's pixels as RGB, read with core GetImage. */
function screenRgb(display: XDisplay): Promise<Buffer> {
  return new Promise((resolve, reject) => display.client.GetImage(2, display.root, 0, 0, W, H, 0xffffffff, (error: Error | null, image: { data: Buffer }) => {
    if (error) return reject(error);
    const rgb = Buffer.alloc(W * H * 3);
    for (let i = 0; i < W * H; i += 1) {
      rgb[i * 3] = image.data[i * 4 + 2]!;
      rgb[i * 3 + 1] = image.data[i * 4 + 1]!;
      rgb[i * 3 + 2] = image.data[i * 4]!;
    }
    resolve(rgb);
  }));
}

describe('screen view and remote control end to end', () => {
  let appliance: RunningAppliance;
  let browser: Browser;
  let xvfb: Xvfb;
  let dir: string;
  let picture: Buffer;
  let drawer: XDisplay;
  const forwarded: Buffer[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-screen-'));
    xvfb = await startXvfb(W, H);
    const file = join(dir, 'known.png');
    await x(xvfb.display, 'convert', [
      '-size', `${W}x${H}`, 'xc:#3366cc', '-fill', '#ffcc00', '-draw', 'rectangle 100,100 499,399',
      '-font', FONT, '-fill', 'white', '-pointsize', '28', '-draw', "text 560,120 'RescueBox screen test 0123456789'",
      '(', '-size', `${PHOTO.w}x${PHOTO.h}`, '-seed', '7', 'plasma:fractal', ')', '-geometry', `+${PHOTO.x}+${PHOTO.y}`, '-composite', file,
    ]);
    await runTo('display', ['-window', 'root', file], xvfb.env);
    picture = await sharp(file).removeAlpha().raw().toBuffer();
    drawer = await openDisplay(xvfb.display);
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', RELAY_PORT: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'Owner-secret-2026' });
    appliance = await startAppliance(config, { logger: createLogger('silent'), relayTap: (_sid, _from, bytes) => void forwarded.push(Buffer.from(bytes)) });
    const { db, clock } = appliance.services;
    const group = await insertGroup(db, clock, { name: 'Remote', permissions: ['remote_view', 'remote_control'] });
    await insertUser(db, clock, { email: TECH.email, role: 'technician', passwordHash: await hashPassword(TECH.password), groups: [group.id], displayName: 'Sven' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await appliance?.close();
    if (drawer) closeDisplay(drawer);
    await xvfb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function technicianPage(): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('E-mail').fill(TECH.email);
    await page.getByLabel('Password').fill(TECH.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/console');
    return page;
  }

  /** Pixels of the console's canvas on a grid (every `step` pixels), as RGB triples. */
  const canvasSamples = (page: Page, step: number) => page.evaluate((s) => {
    const canvas = document.querySelector('[data-testid="screen-canvas"]') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const out: number[] = [];
    for (let y = 0; y < canvas.height; y += s) for (let x = 0; x < canvas.width; x += s) out.push(data[(y * canvas.width + x) * 4]!, data[(y * canvas.width + x) * 4 + 1]!, data[(y * canvas.width + x) * 4 + 2]!);
    return out;
  }, step);
  const frames = async (page: Page) => Number(await page.getByTestId('screen-canvas').getAttribute('data-frames') ?? 0);
  /** Waits until no frame has arrived for 700 ms. */
  const settled = async (page: Page) => {
    let last = -1;
    let since = Date.now();
    await waitFor(async () => {
      const now = await frames(page);
      if (now !== last) [last, since] = [now, Date.now()];
      return Date.now() - since >= 700;
    }, 10_000, 100);
  };

  /** A 32-bit pixel of glyph-like text: line `line`, row `r` in it (16 rows a line), column x. */
  const textPixel = (line: number, r: number, px: number) => (r < 3 || r > 12 || !((Math.imul(line * 131 + (px >> 3), 2654435761) >>> (r + (px & 7))) & 1) ? 0xffffff : 0x102030);
  /** Draws text lines first.. into rows [top, top+rows) of a window, in strips (X request size). */
  const drawLines = (wid: number, gc: number, width: number, first: number, top: number, rows: number) => {
    for (let y0 = top; y0 < top + rows; y0 += 32) {
      const h = Math.min(32, top + rows - y0);
      const data = Buffer.alloc(width * h * 4);
      for (let y = 0; y < h; y += 1) {
        const row = y0 + y - top;
        for (let px = 0; px < width; px += 1) data.writeUInt32LE(textPixel(first + Math.floor(row / 16), row % 16, px), (y * width + px) * 4);
      }
      drawer.client.PutImage(2, wid, gc, width, h, 0, y0, 0, 24, data);
    }
  };

  async function scrollCheck(page: Page): Promise<void> {
    const area = { x: 96, y: 136, w: 448, h: 320 };
    const wid = drawer.client.AllocID();
    drawer.client.CreateWindow(wid, drawer.root, area.x, area.y, area.w, area.h, 0, 0, 0, 0, { backgroundPixel: 0xffffff, overrideRedirect: 1 });
    drawer.client.MapWindow(wid);
    const gc = drawer.client.AllocID();
    drawer.client.CreateGC(gc, wid, {});
    drawLines(wid, gc, area.w, 0, 0, area.h);
    await settled(page);
    const copiesBefore = Number(await page.getByTestId('screen-canvas').getAttribute('data-copies') ?? 0);
    drawer.client.CopyArea(wid, wid, gc, 0, 48, 0, 0, area.w, area.h - 48);
    drawLines(wid, gc, area.w, 20, area.h - 48, 48);
    assert.ok(await waitFor(async () => Number(await page.getByTestId('screen-canvas').getAttribute('data-copies') ?? 0) > copiesBefore, 5_000), 'a screen.copy arrived');
    await settled(page);
    const screen = await screenRgb(drawer);
    const seen = await canvasSamples(page, 2);
    for (let y = area.y; y < area.y + area.h; y += 2) {
      for (let px = area.x; px < area.x + area.w; px += 2) {
        const i = ((y / 2) * Math.ceil(W / 2) + px / 2) * 3;
        const o = (y * W + px) * 3;
        assert.deepEqual([seen[i], seen[i + 1], seen[i + 2]], [screen[o], screen[o + 1], screen[o + 2]], `scrolled pixel ${px},${y} is exact`);
      }
    }
    drawer.client.DestroyWindow(wid);
    await settled(page);
  }

  it('shows the customer\'s screen, sends only changed tiles, injects a click and an umlaut, pauses for the customer', async () => {
    const page = await technicianPage();
    await page.getByTestId('new-session').click();
    const pin = (await page.getByTestId('session-pin').innerText()).replace(/\D/g, '');
    const agent = new AgentProcess(['--server', appliance.url, '--pin', pin, '--fingerprint', appliance.services.tlsFingerprint!, '--ports', new URL(appliance.url).port], xvfb.env);
    let xev: Xev | null = null;
    try {
      await page.getByTestId('session-row').first().getByTestId('session-join').click();
      await agent.waitFor((e) => e.event === 'ready', 'ready');

      // 1. view, after the customer's yes: the canvas shows the known picture
      await page.getByTestId('screen-request-view').click();
      await agent.waitFor((e) => e.event === 'prompt' && e.capability === 'screen.view', 'view prompt');
      agent.say('yes');
      await page.locator('[data-testid="screen-status"][data-view="on"]').waitFor();
      assert.ok(await waitFor(async () => (await frames(page)) >= 1, 10_000), 'a first frame arrived');
      const first = JSON.parse(await page.getByTestId('screen-canvas').getAttribute('data-first-frame') ?? '[]') as [number, number, number, number, string][];
      for (const [rx, ry, rw, rh, enc] of first.filter((r) => r[4] === 'jpeg' || r[4] === 'raw')) {
        assert.ok(rx >= PHOTO.x && ry >= PHOTO.y && rx + rw <= PHOTO.x + PHOTO.w && ry + rh <= PHOTO.y + PHOTO.h, `lossy ${enc} rect ${rx},${ry} only on the photo`);
      }
      assert.ok(first.some((r) => r[4] === 'palette') && first.some((r) => r[4] === 'fill'), 'text/UI tiles went lossless');
      // Once the screen rests, the agent sends the JPEG tiles again sharper; wait for that.
      await settled(page);
      const step = 8;
      const seen = await canvasSamples(page, step);
      // What the X server really shows (ImageMagick's PNG and the display may differ by one level).
      const screen = await screenRgb(drawer);
      for (let o = 0; o < picture.length; o += 997) assert.ok(Math.abs(screen[o]! - picture[o]!) <= 2, 'the display shows the known picture');
      let lossless = 0;
      let photoError = 0;
      let photoCount = 0;
      for (let i = 0, y = 0; y < H; y += step) {
        for (let px = 0; px < W; px += step, i += 3) {
          const o = (y * W + px) * 3;
          const diff = Math.max(Math.abs(seen[i]! - screen[o]!), Math.abs(seen[i + 1]! - screen[o + 1]!), Math.abs(seen[i + 2]! - screen[o + 2]!));
          const inPhoto = px >= PHOTO.x && px < PHOTO.x + PHOTO.w && y >= PHOTO.y && y < PHOTO.y + PHOTO.h;
          if (inPhoto) {
            photoError += diff;
            photoCount += 1;
          } else {
            assert.equal(diff, 0, `pixel ${px},${y} is exact outside the photo`);
            lossless += 1;
          }
        }
      }
      assert.ok(lossless > 10_000 && photoCount > 500);
      assert.ok(photoError / photoCount < 12, `photo pixels close (mean max-channel error ${(photoError / photoCount).toFixed(1)})`);

      // 2. a small change (a red 40×40 window inside one tile): only that, trimmed to the change
      const before = await frames(page);
      const wid = drawer.client.AllocID();
      drawer.client.CreateWindow(wid, drawer.root, 200, 600, 40, 40, 0, 0, 0, 0, { backgroundPixel: 0xff0000, overrideRedirect: 1 });
      drawer.client.MapWindow(wid);
      assert.ok(await waitFor(async () => (await frames(page)) > before, 5_000), 'the change arrived');
      const changed = JSON.parse(await page.getByTestId('screen-canvas').getAttribute('data-last-frame') ?? '[]') as unknown[];
      assert.deepEqual(changed, [[200, 600, 40, 40, 'fill']]);
      const red = await page.evaluate(() => [...(document.querySelector('[data-testid="screen-canvas"]') as HTMLCanvasElement).getContext('2d')!.getImageData(210, 610, 1, 1).data]);
      assert.deepEqual(red.slice(0, 3), [255, 0, 0]);

      // 2b. scrolling: a window of text lines moves up three lines (CopyArea, as terminals do)
      // and the new lines are drawn below: the agent sends a screen.copy and only the new lines.
      await scrollCheck(page);

      // 3. control, after a second yes; a click and typed text with an umlaut reach the display.
      // xev starts (and looks up its first key) before control: our own warm-up key would
      // otherwise count as the customer's input and pause control.
      xev = await startXev(xvfb.env, '300x200+40+420');
      const xevOut = xev.output;
      await page.getByTestId('screen-request-control').click();
      await agent.waitFor((e) => e.event === 'prompt' && e.capability === 'screen.control', 'control prompt');
      agent.say('yes');
      await agent.waitFor((e) => e.event === 'screen' && e.state === 'control', 'control indicator');
      await page.locator('[data-testid="screen-status"][data-control="active"]').waitFor();
      await page.getByTestId('screen-canvas').scrollIntoViewIfNeeded();
      const box = (await page.getByTestId('screen-canvas').boundingBox())!;
      const at = (rx: number, ry: number) => ({ x: box.x + ((rx + 0.5) * box.width) / W, y: box.y + ((ry + 0.5) * box.height) / H });
      await page.mouse.move(at(140, 520).x, at(140, 520).y);
      await page.mouse.click(at(140, 520).x, at(140, 520).y);
      // The canvas is scaled, and DOM mouse coordinates are whole CSS pixels: allow one pixel.
      const clicked = await waitFor(() => /ButtonPress event[^]*?root:\((139|140|141),(519|520|521)\)/.test(xevOut()), 5_000);
      assert.ok(clicked, `click arrived at 140,520: ${xevOut().slice(-600)}`);
      await page.keyboard.type('Hi');
      // A German keyboard's ä key (code Quote), as Chromium reports it to the page.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'ä', code: 'Quote', text: 'ä', windowsVirtualKeyCode: 222 });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'ä', code: 'Quote', windowsVirtualKeyCode: 222 });
      assert.ok(await waitFor(() => /keysym 0xe4, adiaeresis/.test(xevOut()), 5_000), `umlaut arrived: ${xevOut().slice(-800)} ${JSON.stringify(agent.events.slice(-4))}`);
      assert.match(xevOut(), /KeyPress event[^]*?keysym 0x48, H[^]*?keysym 0x69, i/);

      // clipboard both ways while controlling
      await new Promise<void>((resolve) => {
        const copy = spawn('xclip', ['-i', '-selection', 'clipboard'], { env: xvfb.env, stdio: ['pipe', 'ignore', 'ignore'] });
        copy.stdin!.end('Bestellnummer: Größe 42');
        copy.once('exit', () => resolve());
      });
      const shown = () => page.getByTestId('screen-clipboard-in').inputValue({ timeout: 200 }).catch(() => '');
      assert.ok(await waitFor(async () => (await shown()) === 'Bestellnummer: Größe 42', 5_000), 'the customer\'s copy is shown');
      await page.getByTestId('screen-clipboard-out').fill('Passwort zurücksetzen');
      await page.getByTestId('screen-clipboard-send').click();
      assert.ok(await waitFor(async () => (await x(xvfb.display, 'xclip', ['-o', '-selection', 'clipboard']).catch(() => '')) === 'Passwort zurücksetzen', 5_000), 'the technician\'s text can be pasted');

      // 4. the customer moves their own mouse: remote input pauses, then resumes when they stop
      await x(xvfb.display, 'xdotool', ['mousemove', '900', '100']);
      await x(xvfb.display, 'xdotool', ['mousemove', '910', '110']);
      await agent.waitFor((e) => e.event === 'screen' && e.state === 'control-paused', 'paused');
      await page.locator('[data-testid="screen-status"][data-control="paused"]').waitFor();
      await agent.waitFor((e) => e.event === 'screen' && e.state === 'control-resumed', 'resumed', 10_000);
      await page.locator('[data-testid="screen-status"][data-control="active"]').waitFor();

      // 5. the customer stops control, then sharing
      agent.say('stop-control');
      await page.locator('[data-testid="screen-status"][data-control="off"]').waitFor();
      agent.say('stop-screen');
      await page.getByTestId('screen-status').filter({ hasText: 'The customer stopped sharing.' }).waitFor();
      agent.say('end');
      await page.getByTestId('session-ended').waitFor();
      assert.equal(await agent.exited, 0);

      // relay blindness: no message header, no JPEG marker, no key event in what it forwarded
      const wire = Buffer.concat(forwarded);
      assert.ok(wire.length > 20_000, `the screen went through the relay (${wire.length} bytes)`);
      for (const secret of ['screen.update', 'JFIF', 'input.key', 'input.button', '"enc":', pin]) {
        assert.equal(wire.includes(Buffer.from(secret)), false, `relay saw ${secret}`);
      }

      // audit: view and control started and stopped, and who took control back
      const audit = await appliance.services.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'like', 'screen.%').execute();
      const actions = audit.map((a) => `${a.action}:${(JSON.parse(String(a.details ?? '{}')) as { by?: string }).by}`);
      for (const expected of ['screen.view.start:customer', 'screen.control.start:customer', 'screen.control.paused:customer', 'screen.control.resumed:customer', 'screen.control.stop:customer', 'screen.view.stop:customer']) {
        assert.ok(actions.includes(expected), `audit has ${expected} (${actions.join(', ')})`);
      }
    } finally {
      xev?.stop();
      agent.kill();
    }
  });
});
