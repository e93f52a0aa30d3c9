import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message } from '../../../protocol/messages.js';
import { loadJpegEncoder } from './encoder.js';
import { ScreenStreamer } from './streamer.js';
import { startXvfb, waitFor, type Xvfb } from './testing/xvfb.js';
import { closeDisplay, openDisplay, type XDisplay } from './x11-client.js';
import { X11ScreenSource } from './x11-source.js';

// DAMAGE on a real Xvfb: the source knows when something was drawn, and the streamer reads the
// screen only then instead of polling it.
describe('X11 DAMAGE change notification', () => {
  let xvfb: Xvfb;
  let drawer: XDisplay;
  before(async () => {
    xvfb = await startXvfb(320, 240);
    drawer = await openDisplay(xvfb.display);
  });
  after(async () => {
    closeDisplay(drawer);
    await xvfb.stop();
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const drawWindow = (x: number, y: number, color: number) => {
    const wid = drawer.client.AllocID();
    drawer.client.CreateWindow(wid, drawer.root, x, y, 40, 30, 0, 0, 0, 0, { backgroundPixel: color, overrideRedirect: 1 });
    drawer.client.MapWindow(wid);
  };

  it('reports a drawing after a capture, once, and nothing while the screen rests', async () => {
    const source = await X11ScreenSource.open(xvfb.display);
    try {
      const damage = source.damage;
      assert.ok(damage, 'Xvfb has DAMAGE');
      const [screen] = await source.screens();
      await source.capture(screen!);
      await sleep(200);
      assert.equal(damage.changed(), false, 'nothing drawn since the capture');
      let calls = 0;
      damage.onChange(() => (calls += 1));
      drawWindow(10, 10, 0xff0000);
      drawWindow(60, 10, 0x00ff00);
      assert.ok(await waitFor(() => damage.changed(), 3_000), 'the drawing is reported');
      await sleep(100);
      assert.equal(calls, 1, 'one wake-up per capture');
      await source.capture(screen!);
      await sleep(200);
      assert.equal(damage.changed(), false, 'the capture took it');
    } finally {
      source.close();
    }
  });

  it('lets the streamer skip reading a static screen and send a change as soon as it is drawn', async () => {
    const source = await X11ScreenSource.open(xvfb.display);
    let captures = 0;
    const capture = source.capture.bind(source);
    source.capture = (screen) => {
      captures += 1;
      return capture(screen);
    };
    const updates: Message<'screen.update'>[] = [];
    const streamer: ScreenStreamer = new ScreenStreamer({
      source, jpeg: await loadJpegEncoder(), onError: (error) => assert.fail(error),
      send: async (message) => {
        if (message.type !== 'screen.update') return;
        updates.push(message);
        setImmediate(() => streamer.ack(message.seq));
      },
    });
    try {
      const [screen] = await source.screens();
      streamer.start(screen!);
      assert.ok(await waitFor(() => updates.length >= 1, 5_000), 'the first picture');
      await sleep(300);
      const resting = captures;
      await sleep(600);
      assert.ok(captures - resting <= 1, `no reads of a static screen (${captures - resting} in 600 ms)`);
      drawWindow(100, 100, 0x0000ff);
      assert.ok(await waitFor(() => updates.length >= 2, 3_000), 'the change arrives');
      const rects = updates[1]!.rects;
      assert.ok(rects.every((r) => r[4] === 'fill'), 'the window went as fills');
      const box = [Math.min(...rects.map((r) => r[0])), Math.min(...rects.map((r) => r[1])), Math.max(...rects.map((r) => r[0] + r[2])), Math.max(...rects.map((r) => r[1] + r[3]))];
      assert.deepEqual(box, [100, 100, 140, 130], 'exactly the window changed');
    } finally {
      streamer.stop();
      source.close();
    }
  });
});
