import type { Message } from '../../protocol/messages.js';
import { packedSize, paletteBits, unpackIndices } from '../../protocol/palette.js';
import { readRect, type WireRect } from '../../protocol/screen-messages.js';

/**
 * Paints one screen.update onto a 2D canvas: fills, palettes and raw RGB directly as pixels,
 * JPEG through the browser's decoder (createImageBitmap, off the main thread). All rectangles
 * are decoded first and then drawn together, so a half-decoded update never shows.
 */

type Decoded = { rect: WireRect; image: ImageData | ImageBitmap | null };

/** Why an update cannot be painted (sizes that do not add up): the session reports it. */
export class PaintError extends Error {}

/** Decodes and draws an update; resolves when it is on the canvas. */
export async function paintUpdate(context: CanvasRenderingContext2D, update: Message<'screen.update'>, payload: Uint8Array, width: number, height: number): Promise<void> {
  const decoded: Promise<Decoded>[] = [];
  let offset = 0;
  for (const rect of update.rects.map(readRect)) {
    if (rect.x + rect.w > width || rect.y + rect.h > height) throw new PaintError('Rectangle outside the screen.');
    const bytes = payload.subarray(offset, offset + rect.len);
    if (bytes.length !== rect.len) throw new PaintError('Update payload is shorter than its rectangles.');
    offset += rect.len;
    decoded.push(decodeRect(rect, bytes).then((image) => ({ rect, image })));
  }
  if (offset !== payload.length) throw new PaintError('Update payload is longer than its rectangles.');
  for (const { rect, image } of await Promise.all(decoded)) {
    if (image === null) {
      context.fillStyle = `#${(rect.color ?? 0).toString(16).padStart(6, '0')}`;
      context.fillRect(rect.x, rect.y, rect.w, rect.h);
    } else if (image instanceof ImageData) {
      context.putImageData(image, rect.x, rect.y);
    } else {
      context.drawImage(image, rect.x, rect.y, rect.w, rect.h);
      image.close();
    }
  }
}

async function decodeRect(rect: WireRect, bytes: Uint8Array): Promise<ImageData | ImageBitmap | null> {
  if (rect.enc === 'fill') return null;
  if (rect.enc === 'jpeg') return createImageBitmap(new Blob([bytes as BlobPart], { type: 'image/jpeg' }));
  if (rect.enc === 'raw') return rawImage(rect, bytes);
  return paletteImage(rect, bytes);
}

/** RGB, 3 bytes per pixel. */
function rawImage(rect: WireRect, bytes: Uint8Array): ImageData {
  const pixels = rect.w * rect.h;
  if (bytes.length !== pixels * 3) throw new PaintError('Raw rectangle has the wrong size.');
  const out = new Uint8ClampedArray(pixels * 4);
  for (let i = 0, j = 0; i < pixels; i += 1, j += 3) {
    out[i * 4] = bytes[j]!;
    out[i * 4 + 1] = bytes[j + 1]!;
    out[i * 4 + 2] = bytes[j + 2]!;
    out[i * 4 + 3] = 255;
  }
  return new ImageData(out, rect.w, rect.h);
}

/** u8 count-1, count×RGB, packed indices (protocol/palette.ts). */
export function paletteImage(rect: { w: number; h: number }, bytes: Uint8Array): ImageData {
  const count = (bytes[0] ?? 0) + 1;
  const pixels = rect.w * rect.h;
  const start = 1 + count * 3;
  const bits = paletteBits(count);
  if (bytes.length !== start + packedSize(rect.w, rect.h, bits)) throw new PaintError('Palette rectangle has the wrong size.');
  const indices = unpackIndices(bytes.subarray(start), rect.w, rect.h, bits);
  const colors = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) {
    // little-endian RGBA as one word: A B G R
    colors[i] = (0xff << 24) | (bytes[3 + i * 3]! << 16) | (bytes[2 + i * 3]! << 8) | bytes[1 + i * 3]!;
  }
  const out = new Uint32Array(pixels);
  for (let i = 0; i < pixels; i += 1) {
    const index = indices[i]!;
    if (index >= count) throw new PaintError('Palette index out of range.');
    out[i] = colors[index]!;
  }
  return new ImageData(new Uint8ClampedArray(out.buffer), rect.w, rect.h);
}

/**
 * Applies a screen.copy: each rectangle of the canvas moves to its destination, in order. A
 * canvas drawn onto itself behaves as if copied first, so overlapping moves (scrolling) are exact.
 */
export function paintCopy(context: CanvasRenderingContext2D, copy: Message<'screen.copy'>, width: number, height: number): void {
  for (const [sx, sy, dx, dy, w, h] of copy.rects) {
    if (Math.max(sx, dx) + w > width || Math.max(sy, dy) + h > height) throw new PaintError('Copied rectangle outside the screen.');
  }
  for (const [sx, sy, dx, dy, w, h] of copy.rects) context.drawImage(context.canvas, sx, sy, w, h, dx, dy, w, h);
}
