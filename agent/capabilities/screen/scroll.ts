import { TILE } from '../../../protocol/screen-messages.js';
import type { Frame } from './source.js';
import { trimToChange, type TileRect } from './tiler.js';

/**
 * Scroll detection: when a band of the screen shows what it showed before, shifted up or down
 * (a terminal, a web page or a list scrolling), the viewer can copy that band on its own canvas
 * and needs only the rows that scrolled in. Rows of the changed band are hashed (sampled), the
 * vertical shift most rows agree on is taken, and the rows it explains are then verified
 * exactly (memcmp), so a detected copy is never wrong, only sometimes missed.
 */

/** A vertical move inside one screen: rows [y, y+h) of columns [x, x+w) get rows y+dy.. of before. */
export interface ScrollCopy {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Source row minus destination row: > 0 when the content moved up (scrolling down a page). */
  dy: number;
}

/** Fewer changed tiles than this is typing or a blinking cursor: not worth looking for a scroll. */
const MIN_TILES = 8;
/** A copy must move at least this many rows and this many pixels to pay off. */
const MIN_ROWS = 32;
const MIN_PIXELS = TILE * TILE * 4;
/** Votes the winning shift needs (distinct, non-blank rows that agree). */
const MIN_VOTES = 8;
/** Every SAMPLE-th pixel of a row goes into its hash (odd: text glyphs are an even width apart). */
const SAMPLE = 3;

/** Finds the largest vertical scroll that explains part of the change from `previous` to `next`. */
export function detectScroll(previous: Frame, next: Frame, tiles: TileRect[]): ScrollCopy | null {
  if (tiles.length < MIN_TILES || previous.width !== next.width || previous.height !== next.height) return null;
  const band = changedBand(previous, next, tiles);
  if (!band || band.w * band.h < MIN_PIXELS) return null;
  const dy = voteShift(previous, next, band);
  if (dy === null) return null;
  const run = longestMatchingRun(previous, next, band, dy);
  if (!run || run.h < MIN_ROWS || run.h * band.w < MIN_PIXELS) return null;
  return { x: band.x, y: run.y, w: band.w, h: run.h, dy };
}

/** Applies a copy to a frame in place (what the viewer does on its canvas). */
export function applyScroll(frame: Frame, copy: ScrollCopy): void {
  const bytes = copy.w * 4;
  const row = (y: number) => y * frame.stride + copy.x * 4;
  // Rows are copied in the order that never reads a row already overwritten.
  if (copy.dy > 0) for (let y = copy.y; y < copy.y + copy.h; y += 1) frame.data.copy(frame.data, row(y), row(y + copy.dy), row(y + copy.dy) + bytes);
  else for (let y = copy.y + copy.h - 1; y >= copy.y; y -= 1) frame.data.copy(frame.data, row(y), row(y + copy.dy), row(y + copy.dy) + bytes);
}

/**
 * The widest run of adjacent changed tile columns, its rows spanning their changed tiles, and
 * its columns narrowed to the pixels that really changed: static pixels beside a scrolling
 * area (a wallpaper, a window border) must stay out of the band, or no row would match.
 */
function changedBand(previous: Frame, next: Frame, tiles: TileRect[]): TileRect | null {
  const columns = new Map<number, TileRect[]>();
  for (const tile of tiles) columns.set(tile.x, [...(columns.get(tile.x) ?? []), tile]);
  const xs = [...columns.keys()].sort((a, b) => a - b);
  let best: number[] = [];
  for (let i = 0, start = 0; i < xs.length; i += 1) {
    if (i > 0 && xs[i]! !== xs[i - 1]! + TILE) start = i;
    if (i - start + 1 > best.length) best = xs.slice(start, i + 1);
  }
  const inBand = best.flatMap((x) => columns.get(x)!);
  if (inBand.length < MIN_TILES) return null;
  const top = Math.min(...inBand.map((t) => t.y));
  const bottom = Math.max(...inBand.map((t) => t.y + t.h));
  const trim = (x: number) => columns.get(x)!.map((tile) => trimToChange(previous, next, tile));
  const left = Math.min(...trim(best[0]!).map((t) => t.x));
  const right = Math.max(...trim(best[best.length - 1]!).map((t) => t.x + t.w));
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/** Sampled hashes of each row of the band, 0 for a blank row (one colour: it matches anywhere). */
function rowHashes(frame: Frame, band: TileRect): Int32Array {
  const hashes = new Int32Array(band.h);
  const words = new Uint32Array(frame.data.buffer, frame.data.byteOffset, frame.data.length >> 2);
  const rowWords = frame.stride >> 2;
  for (let r = 0; r < band.h; r += 1) {
    const start = (band.y + r) * rowWords + band.x;
    const first = words[start]!;
    let hash = 0x811c9dc5;
    let blank = true;
    for (let i = start; i < start + band.w; i += SAMPLE) {
      const word = words[i]!;
      if (word !== first) blank = false;
      hash = Math.imul(hash ^ word, 0x01000193);
    }
    hashes[r] = blank ? 0 : hash | 1;
  }
  return hashes;
}

/** The shift (≠ 0) most non-blank rows of `next` agree on, by their hashes in `previous`. */
function voteShift(previous: Frame, next: Frame, band: TileRect): number | null {
  if ((previous.data.byteOffset | next.data.byteOffset | previous.stride | next.stride) & 3) return null;
  const before = rowHashes(previous, band);
  const after = rowHashes(next, band);
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < band.h; r += 1) if (before[r]) rowsOf.set(before[r]!, [...(rowsOf.get(before[r]!) ?? []), r]);
  const votes = new Map<number, number>();
  for (let r = 0; r < band.h; r += 1) {
    const candidates = after[r] ? rowsOf.get(after[r]!) : undefined;
    // A row seen many times (a repeated line) says little about the shift.
    if (!candidates || candidates.length > 4) continue;
    for (const source of candidates) if (source !== r) votes.set(source - r, (votes.get(source - r) ?? 0) + 1);
  }
  let best: number | null = null;
  let most = MIN_VOTES - 1;
  for (const [dy, count] of votes) if (count > most) [best, most] = [dy, count];
  return best;
}

/** The longest run of band rows whose pixels equal the rows `dy` further in `previous`, exactly. */
function longestMatchingRun(previous: Frame, next: Frame, band: TileRect, dy: number): { y: number; h: number } | null {
  const bytes = band.w * 4;
  const segment = (frame: Frame, y: number) => frame.data.subarray(y * frame.stride + band.x * 4, y * frame.stride + band.x * 4 + bytes);
  let best: { y: number; h: number } | null = null;
  let start = -1;
  const first = Math.max(band.y, band.y - dy);
  const last = Math.min(band.y + band.h, band.y + band.h - dy);
  for (let y = first; y <= last; y += 1) {
    const same = y < last && segment(next, y).equals(segment(previous, y + dy));
    if (same && start < 0) start = y;
    if (!same && start >= 0) {
      if (!best || y - start > best.h) best = { y: start, h: y - start };
      start = -1;
    }
  }
  return best;
}
