import { packIndices, paletteBits } from '../../../protocol/palette.js';
import type { Frame } from './source.js';
import type { TileRect } from './tiler.js';

/** Tiles with at most this many colours are sent losslessly as palette + indices (text, UI:
 * antialiased glyphs on one background blend into well over a hundred shades per tile). */
export const PALETTE_MAX = 256;

/** Slots of the colour hash table (a power of two, four times PALETTE_MAX). */
const HASH_SIZE = 1024;

/** The frame's pixels as 32-bit words (little endian: 0x00RRGGBB), without copying when aligned. */
function pixelWords(frame: Frame): Uint32Array {
  const { data } = frame;
  if (data.byteOffset % 4 === 0) return new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  return new Uint32Array(Uint8Array.from(data).buffer);
}

/** What one tile looks like, and how it should travel. */
export type TileClass =
  | { kind: 'fill'; color: number }
  | { kind: 'palette'; bytes: Uint8Array }
  | { kind: 'lossy' };

/**
 * Looks at a tile's pixels once: a single colour becomes a fill, few colours a palette
 * (protocol/palette.ts; the channel's deflate then compresses it), and
 * anything richer (photos, video, gradients) is left for JPEG. Stops counting at PALETTE_MAX.
 */
export function classifyTile(frame: Frame, rect: TileRect): TileClass {
  const pixels = pixelWords(frame);
  const rowWords = frame.stride >> 2;
  // Open-addressing colour → index table (keys stored +1 so 0 means empty): several times
  // faster than a Map in this loop, which runs for every pixel of every changed tile.
  const keys = new Int32Array(HASH_SIZE);
  const values = new Uint8Array(HASH_SIZE);
  const palette: number[] = [];
  const indices = new Uint8Array(rect.w * rect.h);
  let last = -1;
  let lastIndex = 0;
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.h; y += 1) {
    const start = y * rowWords + rect.x;
    const end = start + rect.w;
    for (let i = start; i < end; i += 1) {
      const color = pixels[i]! & 0xffffff;
      if (color !== last) {
        let slot = (Math.imul(color, 0x9e3779b1) >>> 22) & (HASH_SIZE - 1);
        while (keys[slot] !== 0 && keys[slot] !== color + 1) slot = (slot + 1) & (HASH_SIZE - 1);
        if (keys[slot] === 0) {
          if (palette.length >= PALETTE_MAX) return { kind: 'lossy' };
          keys[slot] = color + 1;
          values[slot] = palette.length;
          palette.push(color);
        }
        last = color;
        lastIndex = values[slot]!;
      }
      indices[n++] = lastIndex;
    }
  }
  if (palette.length === 1) return { kind: 'fill', color: palette[0]! };
  const packed = packIndices(indices, rect.w, rect.h, paletteBits(palette.length));
  const bytes = new Uint8Array(1 + palette.length * 3 + packed.length);
  bytes[0] = palette.length - 1;
  palette.forEach((color, i) => {
    bytes[1 + i * 3] = color >> 16;
    bytes[2 + i * 3] = (color >> 8) & 0xff;
    bytes[3 + i * 3] = color & 0xff;
  });
  bytes.set(packed, 1 + palette.length * 3);
  return { kind: 'palette', bytes };
}

/** RGB bytes of a rectangle (for JPEG or the raw fallback). */
export function rgbOf(frame: Frame, rect: TileRect): Buffer {
  const out = Buffer.allocUnsafe(rect.w * rect.h * 3);
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.h; y += 1) {
    let offset = y * frame.stride + rect.x * 4;
    for (let x = 0; x < rect.w; x += 1, offset += 4) {
      out[n++] = frame.data[offset + 2]!;
      out[n++] = frame.data[offset + 1]!;
      out[n++] = frame.data[offset]!;
    }
  }
  return out;
}

/**
 * Joins lossy tiles into larger rectangles (horizontal runs, then runs with the same columns
 * in consecutive rows, at most `maxHeight` tall so one piece stays well under an update's size):
 * one JPEG per region compresses better and costs one encoder call instead of dozens. Input
 * must be tiles of one grid; output covers exactly the same pixels.
 */
export function mergeTiles(tiles: TileRect[], tile: number, maxHeight = tile * 4): TileRect[] {
  const byRow = new Map<number, TileRect[]>();
  for (const t of tiles) byRow.set(t.y, [...(byRow.get(t.y) ?? []), t]);
  const runs: TileRect[] = [];
  for (const row of [...byRow.keys()].sort((a, b) => a - b)) {
    const cells = byRow.get(row)!.sort((a, b) => a.x - b.x);
    let run: TileRect | null = null;
    for (const cell of cells) {
      if (run && run.x + run.w === cell.x && run.w % tile === 0) run.w += cell.w;
      else runs.push((run = { ...cell }));
    }
  }
  const merged: TileRect[] = [];
  const open = new Map<string, TileRect>();
  for (const run of runs) {
    const key = `${run.x}:${run.w}`;
    const above = open.get(key);
    if (above && above.y + above.h === run.y && above.h % tile === 0 && above.h + run.h <= maxHeight) {
      above.h += run.h;
    } else {
      const rect = { ...run };
      merged.push(rect);
      open.set(key, rect);
    }
  }
  return merged;
}
