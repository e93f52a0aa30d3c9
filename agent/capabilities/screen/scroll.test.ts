import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyScroll, detectScroll } from './scroll.js';
import type { Frame } from './source.js';
import { changedTiles, copyFrame } from './tiler.js';

// Scroll detection on scripted pictures: a terminal of "text" lines on a noisy wallpaper.
const W = 640;
const H = 480;
const TERM = { x: 70, y: 40, w: 450, h: 400 };
const LINE = 16;

/** A 32-bit pixel of glyph-like text: line `line`, row `r` inside it, column x. */
function textPixel(line: number, r: number, x: number): number {
  if (r < 3 || r > 12) return 0xffffff;
  const bit = (Math.imul(line * 131 + (x >> 3), 2654435761) >>> (r + (x & 7))) & 1;
  return bit ? 0x101010 : 0xffffff;
}

/** The desktop with the terminal showing text from line `first` on, shifted `offset` rows up. */
function desktop(first: number, offset = 0): Frame {
  const data = Buffer.alloc(W * H * 4);
  for (let y = 0; y < H; y += 1) {
    for (let x = 0; x < W; x += 1) {
      const inTerm = x >= TERM.x && x < TERM.x + TERM.w && y >= TERM.y && y < TERM.y + TERM.h;
      const row = y - TERM.y + offset;
      const pixel = inTerm ? textPixel(first + Math.floor(row / LINE), row % LINE, x - TERM.x) : ((x * 7919) ^ (y * 104729)) & 0xffffff;
      data.writeUInt32LE(pixel, (y * W + x) * 4);
    }
  }
  return { width: W, height: H, stride: W * 4, data };
}

function rowsEqual(a: Frame, b: Frame): boolean {
  return a.data.equals(b.data);
}

describe('scroll detection', () => {
  it('finds a terminal scrolled by three lines; the copy plus the lines that scrolled in give the new picture', () => {
    const before = desktop(0);
    const after = desktop(3);
    const tiles = changedTiles(before, after);
    const copy = detectScroll(before, after, tiles);
    assert.ok(copy, 'a scroll is found');
    assert.equal(copy.dy, 3 * LINE);
    assert.ok(copy.x >= TERM.x && copy.x + copy.w <= TERM.x + TERM.w, `the band stays inside the terminal (${copy.x}+${copy.w})`);
    assert.ok(copy.h >= TERM.h - 4 * LINE, `most rows are copied (${copy.h})`);
    const moved = copyFrame(before);
    applyScroll(moved, copy);
    const left = changedTiles(moved, after);
    assert.ok(left.length > 0 && left.length < tiles.length / 3, `${left.length} of ${tiles.length} tiles left to send`);
    for (const tile of left) assert.ok(tile.y + tile.h > TERM.y + TERM.h - 3 * LINE - 64, `only the bottom lines are left (tile at y ${tile.y})`);
    // Inside the copied rows, the moved picture is exact.
    for (let y = copy.y; y < copy.y + copy.h; y += 1) {
      const at = y * W * 4 + copy.x * 4;
      assert.ok(moved.data.subarray(at, at + copy.w * 4).equals(after.data.subarray(at, at + copy.w * 4)), `row ${y} exact`);
    }
  });

  it('finds scrolling back up (content moving down) and copies it without overwriting its own source', () => {
    const before = desktop(5);
    const after = desktop(2);
    const copy = detectScroll(before, after, changedTiles(before, after));
    assert.ok(copy);
    assert.equal(copy.dy, -3 * LINE);
    const moved = copyFrame(before);
    applyScroll(moved, copy);
    for (let y = copy.y; y < copy.y + copy.h; y += 1) {
      const at = y * W * 4 + copy.x * 4;
      assert.ok(moved.data.subarray(at, at + copy.w * 4).equals(after.data.subarray(at, at + copy.w * 4)), `row ${y} exact`);
    }
  });

  it('finds a shift that is not a whole number of lines (smooth scrolling)', () => {
    const before = desktop(0, 0);
    const after = desktop(0, 7);
    const copy = detectScroll(before, after, changedTiles(before, after));
    assert.equal(copy?.dy, 7);
  });

  it('finds nothing for typing, for a picture that changed entirely, or for an unchanged one', () => {
    const before = desktop(0);
    const typed = copyFrame(before);
    for (let y = 100; y < 112; y += 1) for (let x = 200; x < 207; x += 1) typed.data.writeUInt32LE(0x101010, (y * W + x) * 4);
    assert.equal(detectScroll(before, typed, changedTiles(before, typed)), null);
    const other = desktop(0);
    for (let y = TERM.y; y < TERM.y + TERM.h; y += 1) for (let x = TERM.x; x < TERM.x + TERM.w; x += 1) other.data.writeUInt32LE(Math.imul(x + 1, y + 7) & 0xffffff, (y * W + x) * 4);
    assert.equal(detectScroll(before, other, changedTiles(before, other)), null);
    assert.equal(detectScroll(before, desktop(0), []), null);
    assert.ok(rowsEqual(before, desktop(0)));
  });
});
