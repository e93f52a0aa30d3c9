import type { Frame } from './platform.js';
import type { TileRect } from './tiler.js';

/** Tiles with at most this many colours are sent losslessly as palette + indices (text, UI:
 * antialiased glyphs on one background blend into well over a hundred shades per tile). */
export const PALETTE_MAX = 256;

/** What one tile looks like, and how it should travel. */
export type TileClass =
  | { kind: 'fill'; color: number }
  | { kind: 'palette'; bytes: Uint8Array }
  | { kind: 'lossy' };

/**
 * Looks at a tile's pixels once: a single colour becomes a fill, few colours a palette
 * (u8 count-1, count×RGB, one index per pixel; the channel's deflate then compresses it), and
 * anything richer (photos, video, gradients) is left for JPEG. Stops counting at PALETTE_MAX.
 */
export function classifyTile(frame: Frame, rect: TileRect): TileClass {
  const { data, stride } = frame;
  const colors = new Map<number, number>();
  const palette: number[] = [];
  const indices = new Uint8Array(rect.w * rect.h);
  let last = -1;
  let lastIndex = 0;
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.h; y += 1) {
    let offset = y * stride + rect.x * 4;
    for (let x = 0; x < rect.w; x += 1, offset += 4) {
      const color = (data[offset + 2]! << 16) | (data[offset + 1]! << 8) | data[offset]!;
      if (color !== last) {
        let index = colors.get(color);
        if (index === undefined) {
          if (palette.length >= PALETTE_MAX) return { kind: 'lossy' };
          index = palette.length;
          colors.set(color, index);
          palette.push(color);
        }
        last = color;
        lastIndex = index;
      }
      indices[n++] = lastIndex;
    }
  }
  if (palette.length === 1) return { kind: 'fill', color: palette[0]! };
  const bytes = new Uint8Array(1 + palette.length * 3 + indices.length);
  bytes[0] = palette.length - 1;
  palette.forEach((color, i) => {
    bytes[1 + i * 3] = color >> 16;
    bytes[2 + i * 3] = (color >> 8) & 0xff;
    bytes[3 + i * 3] = color & 0xff;
  });
  bytes.set(indices, 1 + palette.length * 3);
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
