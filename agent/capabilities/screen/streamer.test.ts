import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../protocol/messages.js';
import { readRect, type ScreenInfo } from '../../../protocol/screen-messages.js';
import { loadJpegEncoder } from './encoder.js';
import type { CursorImage, Frame, ScreenSource } from './platform.js';
import { until } from '../../testing/technician.js';
import { ScreenStreamer } from './streamer.js';

// The streamer's pacing with a scripted picture (the X11 source is covered by the Xvfb tests):
// nothing is sent for a static screen, a change sends only its tiles, a full ack window stops
// capturing, and photo tiles are sent again sharper once the screen rests.
const screen: ScreenInfo = { id: 'root', name: 'Screen', x: 0, y: 0, width: 256, height: 128, primary: true };

class ScriptedScreen implements ScreenSource {
  frame: Frame;
  captures = 0;
  constructor() {
    this.frame = { width: 256, height: 128, stride: 1024, data: Buffer.alloc(256 * 128 * 4, 0x40) };
  }
  async screens() {
    return [screen];
  }
  async capture() {
    this.captures += 1;
    return this.frame;
  }
  async cursor(): Promise<CursorImage | null> {
    return null;
  }
  close() {}
  /** Paints noise (a photo) into a rectangle. */
  photo(x0: number, y0: number, w: number, h: number) {
    for (let y = y0; y < y0 + h; y += 1) for (let x = x0; x < x0 + w; x += 1) this.frame.data.writeUInt32LE(((x * 7919) ^ (y * 104729)) & 0xffffff, (y * 256 + x) * 4);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('screen streamer', () => {
  it('sends the picture once, then only changes; waits for acks; refines photos at rest', async () => {
    const source = new ScriptedScreen();
    const updates: Message<'screen.update'>[] = [];
    let autoAck = true;
    const streamer: ScreenStreamer = new ScreenStreamer({
      source, jpeg: await loadJpegEncoder(), onError: (error) => assert.fail(error),
      flow: { maxInFlight: 2, minIntervalMs: 10, maxIntervalMs: 40, minQuality: 30, maxQuality: 80, staleMs: 5_000 },
      send: async (message) => {
        if (message.type !== 'screen.update') return;
        updates.push(message);
        if (autoAck) setImmediate(() => streamer.ack(message.seq));
      },
    });
    streamer.start(screen);
    // Polls instead of fixed sleeps where something must happen: the suite runs files in parallel.
    await until(() => updates.length >= 1, 'first update', 5_000);
    await sleep(150);
    assert.equal(updates.length, 1, 'a static screen is sent once');
    assert.deepEqual(updates[0]!.rects.map(readRect).map((r) => r.enc), ['fill', 'fill', 'fill', 'fill', 'fill', 'fill', 'fill', 'fill']);

    source.photo(64, 0, 64, 64);
    await until(() => updates.length >= 2, 'the change', 5_000);
    const change = updates[1]!.rects.map(readRect);
    assert.deepEqual(change.map((r) => [r.x, r.y, r.w, r.h, r.enc]), [[64, 0, 64, 64, 'jpeg']]);
    assert.deepEqual([updates[0]!.size, updates[1]!.size, updates[1]!.last], [[256, 128], undefined, undefined], 'the size comes with the first update only');
    await until(() => updates.length >= 3, 'the refinement', 5_000);
    await sleep(300);
    const refined = updates.slice(2);
    assert.equal(refined.length, 1, 'one sharper update once the screen rests');
    assert.deepEqual(refined[0]!.rects.map(readRect).map((r) => [r.x, r.y, r.enc]), [[64, 0, 'jpeg']]);
    assert.ok(refined[0]!.rects[0]![5] > updates[1]!.rects[0]![5], 'the refined JPEG carries more detail');

    // A viewer that stops acknowledging: at most 2 updates go out, then no more captures.
    autoAck = false;
    const sent = updates.length;
    let n = 0;
    const change1 = () => source.frame.data.writeUInt32LE((n += 1), 0);
    for (let i = 0; i < 100 && updates.length - sent < 2; i += 1) {
      change1();
      await sleep(30);
    }
    change1();
    await sleep(200);
    assert.equal(updates.length - sent, 2, 'the window holds two');
    const captures = source.captures;
    change1();
    await sleep(150);
    assert.equal(source.captures, captures, 'no capture while the window is full');
    streamer.ack(updates.at(-1)!.seq);
    await until(() => updates.length - sent === 3, 'the update after the ack', 5_000);
    await sleep(150);
    assert.equal(updates.length - sent, 3, 'one update carries every change since');
    streamer.stop();
  });

  it('sends a scroll as a screen.copy ahead of an update that carries only the lines that scrolled in', async () => {
    const source = new ScriptedScreen();
    // Text lines 16 rows high over the whole screen; `first` is the top line shown.
    const text = (first: number) => {
      for (let y = 0; y < 128; y += 1) {
        for (let x = 0; x < 256; x += 1) {
          const line = first + (y >> 4);
          const r = y & 15;
          const ink = r >= 3 && r <= 12 && (Math.imul(line * 131 + (x >> 3), 2654435761) >>> (r + (x & 7))) & 1;
          source.frame.data.writeUInt32LE(ink ? 0x101010 : 0xffffff, (y * 256 + x) * 4);
        }
      }
    };
    text(0);
    const sent: Message[] = [];
    const streamer: ScreenStreamer = new ScreenStreamer({
      source, jpeg: await loadJpegEncoder(), onError: (error) => assert.fail(error),
      flow: { maxInFlight: 2, minIntervalMs: 10, maxIntervalMs: 40, minQuality: 30, maxQuality: 80, staleMs: 5_000 },
      send: async (message) => {
        sent.push(message);
        if (message.type === 'screen.update') setImmediate(() => streamer.ack(message.seq));
      },
    });
    streamer.start(screen);
    await until(() => sent.length >= 1, 'first update', 5_000);
    await sleep(100);
    text(2);
    await until(() => sent.length >= 3, 'the scroll', 5_000);
    const [copy, update] = sent.slice(1) as [Message<'screen.copy'>, Message<'screen.update'>];
    assert.equal(copy.type, 'screen.copy');
    assert.deepEqual(copy.rects, [[0, 32, 0, 0, 256, 96]], 'rows 32..127 move to the top');
    assert.equal(update.type, 'screen.update');
    for (const rect of update.rects.map(readRect)) assert.ok(rect.y >= 96, `only the new lines are sent (rect at y ${rect.y})`);
    assert.equal(streamer.stats.copies, 1);
    streamer.stop();
  });
});
