import { TILE } from '../../../protocol/screen-messages.js';
import type { Frame } from './source.js';

/** A tile-aligned rectangle of the screen (clipped at its right and bottom edge). */
export interface TileRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Every tile of a frame (a first picture, or after a resize or a refresh). */
export function allTiles(width: number, height: number, tile = TILE): TileRect[] {
  const rects: TileRect[] = [];
  for (let y = 0; y < height; y += tile) {
    for (let x = 0; x < width; x += tile) rects.push({ x, y, w: Math.min(tile, width - x), h: Math.min(tile, height - y) });
  }
  return rects;
}

/**
 * The tiles that differ between what the viewer has (`previous`) and the new capture. Whole
 * scanlines are compared first (a native memcmp each), so a static screen costs one pass over
 * memory; only changed scanlines are split into tile segments. Exact, unlike a hash.
 */
export function changedTiles(previous: Frame | null, next: Frame, tile = TILE): TileRect[] {
  if (!previous || previous.width !== next.width || previous.height !== next.height) return allTiles(next.width, next.height, tile);
  const columns = Math.ceil(next.width / tile);
  const rows = Math.ceil(next.height / tile);
  const dirty = new Uint8Array(columns * rows);
  const rowBytes = next.width * 4;
  for (let y = 0; y < next.height; y += 1) {
    const a = previous.data.subarray(y * previous.stride, y * previous.stride + rowBytes);
    const b = next.data.subarray(y * next.stride, y * next.stride + rowBytes);
    if (a.equals(b)) continue;
    const row = Math.floor(y / tile);
    for (let column = 0; column < columns; column += 1) {
      if (dirty[row * columns + column]) continue;
      const start = column * tile * 4;
      const end = Math.min(rowBytes, start + tile * 4);
      if (!a.subarray(start, end).equals(b.subarray(start, end))) dirty[row * columns + column] = 1;
    }
  }
  const rects: TileRect[] = [];
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      if (!dirty[row * columns + column]) continue;
      const x = column * tile;
      const y = row * tile;
      rects.push({ x, y, w: Math.min(tile, next.width - x), h: Math.min(tile, next.height - y) });
    }
  }
  return rects;
}

/**
 * The bounding box of the pixels that changed inside one dirty tile: a typed character changes
 * a few hundred pixels of a 4096-pixel tile, and only those need to travel (lossless tiles).
 */
export function trimToChange(previous: Frame | null, next: Frame, rect: TileRect): TileRect {
  if (!previous || previous.width !== next.width || previous.height !== next.height) return rect;
  let top = -1;
  let bottom = -1;
  let left = rect.w;
  let right = -1;
  for (let y = rect.y; y < rect.y + rect.h; y += 1) {
    const a = previous.data.subarray(y * previous.stride + rect.x * 4, y * previous.stride + (rect.x + rect.w) * 4);
    const b = next.data.subarray(y * next.stride + rect.x * 4, y * next.stride + (rect.x + rect.w) * 4);
    if (a.equals(b)) continue;
    if (top < 0) top = y;
    bottom = y;
    for (let x = 0; x < left; x += 1) if (a.readUInt32LE(x * 4) !== b.readUInt32LE(x * 4)) left = x;
    for (let x = rect.w - 1; x > right; x -= 1) if (a.readUInt32LE(x * 4) !== b.readUInt32LE(x * 4)) right = x;
  }
  if (top < 0) return rect;
  return { x: rect.x + left, y: top, w: right - left + 1, h: bottom - top + 1 };
}

/** Copies a frame (captures reuse their buffer; the streamer keeps what the viewer has). */
export function copyFrame(frame: Frame, into?: Frame): Frame {
  const size = frame.stride * frame.height;
  const data = into && into.data.length >= size ? into.data : Buffer.allocUnsafe(size);
  frame.data.copy(data, 0, 0, size);
  return { width: frame.width, height: frame.height, stride: frame.stride, data: data.subarray(0, size) };
}
