import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage } from '../../../protocol/messages.js';
import { packedSize, packIndices, paletteBits, unpackIndices } from '../../../protocol/palette.js';
import { MAX_RECTS, readRect, writeRect } from '../../../protocol/screen-messages.js';
import { classifyTile, mergeTiles, PALETTE_MAX } from './classify.js';
import { encodeTiles, loadJpegEncoder, packUpdates, pureJpegEncoder, type EncodedRect } from './encoder.js';
import { FlowControl } from './flow.js';
import type { Frame } from './platform.js';
import { allTiles, changedTiles, copyFrame, trimToChange } from './tiler.js';

/** A BGRX frame filled by `color(x, y)` → 0xRRGGBB. */
function frame(width: number, height: number, color: (x: number, y: number) => number): Frame {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const c = color(x, y);
      const o = (y * width + x) * 4;
      data[o] = c & 0xff;
      data[o + 1] = (c >> 8) & 0xff;
      data[o + 2] = c >> 16;
    }
  }
  return { width, height, stride: width * 4, data };
}

const noise = (x: number, y: number) => ((x * 7919 + y * 104729) ^ (x * y * 31)) & 0xffffff;

describe('tiler', () => {
  it('covers a screen with edge tiles clipped', () => {
    const tiles = allTiles(130, 70);
    assert.equal(tiles.length, 3 * 2);
    assert.deepEqual(tiles.at(-1), { x: 128, y: 64, w: 2, h: 6 });
  });

  it('finds exactly the tiles that changed, and nothing on a static screen', () => {
    const a = frame(256, 192, () => 0x102030);
    assert.deepEqual(changedTiles(copyFrame(a), a), []);
    const b = copyFrame(a);
    b.data[(100 * 256 + 70) * 4] = 0xff; // pixel (70, 100): tile column 1, row 1
    b.data[(191 * 256 + 255) * 4 + 2] = 0x01; // the last pixel: tile (3, 2)
    assert.deepEqual(changedTiles(a, b), [{ x: 64, y: 64, w: 64, h: 64 }, { x: 192, y: 128, w: 64, h: 64 }]);
  });

  it('trims a dirty tile to the box of pixels that changed', () => {
    const a = frame(128, 128, () => 0xffffff);
    const b = frame(128, 128, (px, py) => (px >= 70 && px < 77 && py >= 90 && py < 103 ? 0 : 0xffffff));
    assert.deepEqual(changedTiles(a, b), [{ x: 64, y: 64, w: 64, h: 64 }]);
    assert.deepEqual(trimToChange(a, b, { x: 64, y: 64, w: 64, h: 64 }), { x: 70, y: 90, w: 7, h: 13 });
    assert.deepEqual(trimToChange(null, b, { x: 64, y: 64, w: 64, h: 64 }), { x: 64, y: 64, w: 64, h: 64 });
  });

  it('sends everything after a resize or without a previous frame', () => {
    const a = frame(128, 64, () => 0);
    assert.equal(changedTiles(null, a).length, 2);
    assert.equal(changedTiles(frame(64, 64, () => 0), a).length, 2);
  });
});

describe('tile classification', () => {
  const rect = { x: 0, y: 0, w: 64, h: 64 };

  it('one colour is a fill, few colours a lossless palette, many colours lossy', () => {
    assert.deepEqual(classifyTile(frame(64, 64, () => 0xabcdef), rect), { kind: 'fill', color: 0xabcdef });
    const text = classifyTile(frame(64, 64, (x, y) => ((x + y) % 5 === 0 ? 0x000000 : 0xffffff)), rect);
    assert.equal(text.kind, 'palette');
    if (text.kind !== 'palette') return;
    assert.equal(text.bytes[0], 1); // two colours
    assert.deepEqual([...text.bytes.subarray(1, 7)], [0, 0, 0, 255, 255, 255]);
    assert.equal(text.bytes.length, 1 + 6 + (64 * 64) / 8, 'two colours: one bit per pixel');
    assert.equal(classifyTile(frame(64, 64, noise), rect).kind, 'lossy');
    assert.equal(classifyTile(frame(64, 64, (x, y) => (x * 64 + y) % PALETTE_MAX), rect).kind, 'palette');
    assert.equal(classifyTile(frame(64, 64, (x, y) => (x * 64 + y) % (PALETTE_MAX + 1)), rect).kind, 'lossy');
  });

  it('merges lossy tiles into rectangles covering exactly the same pixels', () => {
    const tiles = [
      { x: 0, y: 0, w: 64, h: 64 }, { x: 64, y: 0, w: 64, h: 64 }, { x: 0, y: 64, w: 64, h: 64 }, { x: 64, y: 64, w: 64, h: 64 },
      { x: 256, y: 0, w: 64, h: 64 },
    ];
    const merged = mergeTiles(tiles, 64);
    assert.deepEqual(merged, [{ x: 0, y: 0, w: 128, h: 128 }, { x: 256, y: 0, w: 64, h: 64 }]);
    const area = (rs: { w: number; h: number }[]) => rs.reduce((n, r) => n + r.w * r.h, 0);
    assert.equal(area(merged), area(tiles));
    const column = Array.from({ length: 10 }, (_, i) => ({ x: 0, y: i * 64, w: 64, h: 64 }));
    assert.ok(mergeTiles(column, 64).every((r) => r.h <= 256), 'regions stay at most four tiles tall');
  });
});

describe('palette packing', () => {
  it('round-trips indices at 1, 2, 4 and 8 bits, rows padded to bytes', () => {
    for (const count of [2, 3, 4, 9, 16, 17, 256]) {
      const bits = paletteBits(count);
      const [w, h] = [13, 5];
      const indices = Uint8Array.from({ length: w * h }, (_, i) => (i * 7) % count);
      const packed = packIndices(indices, w, h, bits);
      assert.equal(packed.length, packedSize(w, h, bits));
      assert.deepEqual(unpackIndices(packed, w, h, bits), indices, `count ${count}`);
    }
    assert.deepEqual([paletteBits(2), paletteBits(4), paletteBits(16), paletteBits(17)], [1, 2, 4, 8]);
  });
});

describe('encoder', () => {
  it('encodes text losslessly and photos as JPEG, in updates within the protocol limits', async () => {
    const jpeg = await loadJpegEncoder();
    assert.ok(jpeg, 'sharp loads here');
    const picture = frame(256, 128, (x, y) => (x >= 128 ? noise(x, y) : y < 64 ? 0x3366cc : (x + y) % 3 === 0 ? 0 : 0xffffff));
    const rects = await encodeTiles(picture, allTiles(256, 128), 70, jpeg);
    const kinds = rects.map((r) => `${r.x},${r.y}:${r.enc}`).sort();
    assert.deepEqual(kinds, ['0,0:fill', '0,64:palette', '128,0:jpeg', '64,0:fill', '64,64:palette'].sort());
    const photo = rects.find((r) => r.enc === 'jpeg')!;
    assert.deepEqual([photo.w, photo.h], [128, 128]);
    assert.deepEqual([...photo.bytes.subarray(0, 2)], [0xff, 0xd8]);
    const pure = await encodeTiles(picture, allTiles(256, 128), 70, pureJpegEncoder);
    const pureJpeg = pure.find((r) => r.enc === 'jpeg')!;
    assert.deepEqual([...pureJpeg.bytes.subarray(0, 2)], [0xff, 0xd8], 'the pure-JS fallback (single-file download) makes JPEG too');
    const raw = await encodeTiles(picture, allTiles(256, 128), 70, null);
    assert.ok(raw.filter((r) => r.enc === 'raw').every((r) => r.bytes.length === r.w * r.h * 3), 'without JPEG: raw RGB tiles');
  });

  it('splits updates by bytes and rectangle count; each one decodes as a valid message', () => {
    const rect = (n: number): EncodedRect => ({ x: 0, y: 0, w: 64, h: 64, enc: 'palette', bytes: new Uint8Array(n) });
    assert.deepEqual(packUpdates([rect(600), rect(600), rect(100)], 1000).map((u) => u.length), [1, 2]);
    assert.deepEqual(packUpdates(Array.from({ length: MAX_RECTS + 5 }, () => rect(1))).map((u) => u.length), [MAX_RECTS, 5]);
    assert.throws(() => packUpdates([rect(2000)], 1000));
    const rects = Array.from({ length: MAX_RECTS }, (_, i) => writeRect({ x: (i % 100) * 64 + 63, y: Math.floor(i / 100) * 64 + 63, w: 64, h: 64, enc: 'palette', len: 123_456 }));
    const bytes = encodeMessage({ type: 'screen.update', seq: 1, size: [6400, 1024], rects, encodeMs: 12.5 });
    assert.equal(decodeMessage(bytes).message.type, 'screen.update', 'a full update fits the 64 KiB header limit');
  });

  it('writes rectangles as compact tuples and reads them back', () => {
    const fill = { x: 1, y: 2, w: 3, h: 4, enc: 'fill' as const, len: 0, color: 0xabcdef };
    const jpeg = { x: 64, y: 0, w: 128, h: 64, enc: 'jpeg' as const, len: 999 };
    assert.deepEqual(writeRect(fill), [1, 2, 3, 4, 'fill', 0, 0xabcdef]);
    assert.deepEqual(readRect(writeRect(fill)), fill);
    assert.deepEqual(readRect(writeRect(jpeg)), jpeg);
  });

  it('refuses malformed screen messages', () => {
    const bad = [
      { type: 'screen.update', seq: 1, size: [99_999, 10], rects: [] },
      { type: 'input.key', keysym: 0, down: true },
      { type: 'input.pointer', x: -1, y: 0 },
      { type: 'screen.cursor', x: 0, y: 0, shape: { serial: 1, width: 999, height: 1, hotX: 0, hotY: 0 } },
      { type: 'screen.ack', seq: 1, extra: true },
      { type: 'screen.update', seq: 1, size: [64, 64], rects: [[0, 0, 64, 64, 'fill', 5, 0]] },
      { type: 'screen.update', seq: 1, size: [64, 64], rects: [[0, 0, 64, 64, 'gif', 5]] },
    ];
    for (const message of bad) assert.throws(() => decodeMessage(encodeMessage(message as never)), /Invalid message/, JSON.stringify(message));
  });
});

describe('flow control', () => {
  it('keeps at most N updates in flight and adapts quality and rate to round trips', () => {
    let now = 0;
    const flow = new FlowControl({ maxInFlight: 2, minIntervalMs: 25, maxIntervalMs: 500, minQuality: 30, maxQuality: 80, staleMs: 5_000 }, () => now);
    const q0 = flow.quality;
    flow.sent(1, 1000);
    flow.sent(2, 1000);
    assert.equal(flow.canSend(), false);
    now = 10;
    flow.acked(1);
    assert.equal(flow.canSend(), true);
    // a slow link: round trips grow far beyond the best seen
    for (let seq = 3; seq < 10; seq += 1) {
      flow.sent(seq, 50_000);
      now += 800;
      flow.acked(seq);
    }
    assert.ok(flow.quality < q0 && flow.intervalMs > 25, `degraded to q${flow.quality}, ${flow.intervalMs} ms`);
    assert.ok(flow.quality >= 30 && flow.intervalMs <= 500);
    // fast again: it recovers
    for (let seq = 10; seq < 80; seq += 1) {
      flow.sent(seq, 1000);
      now += 5;
      flow.acked(seq);
    }
    assert.equal(flow.quality, 80);
    assert.equal(flow.intervalMs, 25);
    // a viewer that vanished does not block forever
    flow.sent(100, 1);
    flow.sent(101, 1);
    assert.equal(flow.canSend(), false);
    now += 6_000;
    assert.equal(flow.canSend(), true);
  });
});
