import { createRequire } from 'node:module';
import { encode as encodeJpegJs } from 'jpeg-js';
import { MAX_RECTS, MAX_UPDATE_BYTES, TILE, type RectEncoding } from '../../../protocol/screen-messages.js';
import { classifyTile, mergeTiles, rgbOf } from './classify.js';
import type { Frame } from './source.js';
import { trimToChange, type TileRect } from './tiler.js';

/** One encoded rectangle, ready for a screen.update. */
export interface EncodedRect {
  x: number;
  y: number;
  w: number;
  h: number;
  enc: RectEncoding;
  bytes: Uint8Array;
  color?: number;
}

/** Encodes RGB pixels as JPEG at a quality (1–100). */
export type JpegEncoder = (rgb: Buffer, width: number, height: number, quality: number) => Promise<Uint8Array>;

/** The part of sharp's API used here (its own types are not importable from CommonJS require). */
type SharpFactory = ((input: Buffer, options: { raw: { width: number; height: number; channels: 3 } }) => {
  jpeg(options: { quality: number; chromaSubsampling: string; mozjpeg: boolean }): { toBuffer(): Promise<Buffer> };
}) & { concurrency(threads: number): number };

/**
 * The JPEG encoder: sharp (libvips, ~30× faster than pure-JS encoders) where it loads; the
 * single-file agent download has no native modules and uses the bundled pure-JS jpeg-js
 * instead (slower: the ack-paced flow control then simply delivers fewer frames).
 */
export async function loadJpegEncoder(): Promise<JpegEncoder> {
  try {
    const sharp = createRequire(import.meta.url)('sharp') as SharpFactory;
    // One libvips thread: the agent must stay light on the customer's computer.
    sharp.concurrency(1);
    return async (rgb, width, height, quality) => new Uint8Array(await sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false }).toBuffer());
  } catch {
    return pureJpegEncoder;
  }
}

/** JPEG in plain JavaScript (jpeg-js takes RGBA). */
export const pureJpegEncoder: JpegEncoder = async (rgb, width, height, quality) => {
  const rgba = Buffer.alloc(width * height * 4, 0xff);
  for (let i = 0, j = 0; i < width * height; i += 1, j += 3) {
    rgba[i * 4] = rgb[j]!;
    rgba[i * 4 + 1] = rgb[j + 1]!;
    rgba[i * 4 + 2] = rgb[j + 2]!;
  }
  return new Uint8Array(encodeJpegJs({ data: rgba, width, height }, quality).data);
};

/**
 * Encodes the changed tiles of a frame, choosing per tile: fills, palettes (lossless, for text
 * and UI) and — merged into larger regions — JPEG at `quality` for photographic content.
 * With the `previous` frame, lossless tiles shrink to the box of pixels that really changed.
 */
export async function encodeTiles(frame: Frame, tiles: TileRect[], quality: number, jpeg: JpegEncoder | null, previous: Frame | null = null): Promise<EncodedRect[]> {
  const out: EncodedRect[] = [];
  const lossy: TileRect[] = [];
  for (const whole of tiles) {
    let tile = whole;
    let found = classifyTile(frame, whole);
    if (found.kind !== 'lossy' && previous) {
      tile = trimToChange(previous, frame, whole);
      if (tile.w * tile.h < whole.w * whole.h) found = classifyTile(frame, tile);
    }
    if (found.kind === 'fill') out.push({ ...tile, enc: 'fill', bytes: new Uint8Array(0), color: found.color });
    else if (found.kind === 'palette') out.push({ ...tile, enc: 'palette', bytes: found.bytes });
    else lossy.push(tile);
  }
  if (!jpeg) {
    for (const tile of lossy) out.push({ ...tile, enc: 'raw', bytes: rgbOf(frame, tile) });
    return out;
  }
  for (const region of mergeTiles(lossy, TILE)) {
    out.push({ ...region, enc: 'jpeg', bytes: await jpeg(rgbOf(frame, region), region.w, region.h, quality) });
  }
  return out;
}

/** Splits encoded rectangles into updates that respect the protocol's size and count limits. */
export function packUpdates(rects: EncodedRect[], maxBytes = MAX_UPDATE_BYTES, maxRects = MAX_RECTS): EncodedRect[][] {
  const updates: EncodedRect[][] = [];
  let current: EncodedRect[] = [];
  let bytes = 0;
  for (const rect of rects) {
    if (rect.bytes.length > maxBytes) throw new Error(`An encoded rectangle of ${rect.bytes.length} bytes exceeds the update limit.`);
    if (current.length >= maxRects || bytes + rect.bytes.length > maxBytes) {
      updates.push(current);
      current = [];
      bytes = 0;
    }
    current.push(rect);
    bytes += rect.bytes.length;
  }
  if (current.length > 0 || updates.length === 0) updates.push(current);
  return updates;
}
