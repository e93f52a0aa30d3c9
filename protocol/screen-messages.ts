import { z } from 'zod';

/**
 * Screen sharing and remote control inside the encrypted channel: one definition for the agent
 * and the console, merged into `messageSchemas` (protocol/messages.ts). Every count and size is
 * bounded so a peer cannot make the other allocate without limit.
 */

/** Side of the tile grid changes are found on; a rectangle is a tile, part of one, or merged tiles. */
export const TILE = 64;
/** Largest screen side we accept (16K). */
export const MAX_SCREEN_SIDE = 16384;
/** Most rectangles in one update (the JSON header must stay under 64 KiB). */
export const MAX_RECTS = 1500;
/** Most payload bytes in one update (the frame limit is 1 MiB; room for the header). */
export const MAX_UPDATE_BYTES = 900 * 1024;
/** Longest clipboard text. */
export const MAX_CLIPBOARD_CHARS = 32 * 1024;

const coord = z.number().int().min(0).max(MAX_SCREEN_SIDE);
const side = z.number().int().min(1).max(MAX_SCREEN_SIDE);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const screenId = z.string().min(1).max(64);

/**
 * How a rectangle's bytes are encoded:
 * - `fill`: one colour (`color` = 0xRRGGBB), no bytes;
 * - `palette`: u8 count-1, count×RGB, then one index byte per pixel (lossless; the channel's
 *   deflate compresses runs and repeated glyphs across the whole update);
 * - `jpeg`: a baseline JPEG of the rectangle (lossy, for photos and video);
 * - `raw`: RGB bytes, 3 per pixel (lossless fallback when no JPEG encoder is present).
 */
export const rectEncodings = ['fill', 'palette', 'jpeg', 'raw'] as const;
export type RectEncoding = (typeof rectEncodings)[number];

/**
 * One rectangle on the wire, as a compact tuple (a typed character is a few hundred bytes, and
 * per-rectangle key names would be a good part of them): [x, y, w, h, enc, len] or, for a fill,
 * [x, y, w, h, 'fill', 0, 0xRRGGBB]. `len` is its byte length in the payload.
 */
const len = z.number().int().min(0).max(MAX_UPDATE_BYTES);
const rect = z.union([
  z.tuple([coord, coord, side, side, z.enum(['palette', 'jpeg', 'raw']), len]),
  z.tuple([coord, coord, side, side, z.literal('fill'), z.literal(0), z.number().int().min(0).max(0xffffff)]),
]);
export type WireTuple = z.output<typeof rect>;

/** A rectangle as the code handles it. */
export interface WireRect {
  x: number;
  y: number;
  w: number;
  h: number;
  enc: RectEncoding;
  len: number;
  color?: number;
}

/** Wire tuple → rectangle. */
export function readRect(t: WireTuple): WireRect {
  return { x: t[0], y: t[1], w: t[2], h: t[3], enc: t[4], len: t[5], ...(t[4] === 'fill' && { color: t[6] }) };
}

/** Rectangle → wire tuple. */
export function writeRect(r: WireRect): WireTuple {
  return r.enc === 'fill' ? [r.x, r.y, r.w, r.h, 'fill', 0, r.color ?? 0] : [r.x, r.y, r.w, r.h, r.enc, r.len];
}

/** Most rectangles in one screen.copy. */
export const MAX_COPY_RECTS = 16;
const copyRect = z.tuple([coord, coord, coord, coord, side, side]);
/** A screen.copy rectangle: [srcX, srcY, dstX, dstY, w, h]. */
export type CopyTuple = z.output<typeof copyRect>;

const screenInfo = z.object({
  id: screenId, name: z.string().max(100), x: z.number().int().min(-MAX_SCREEN_SIDE).max(MAX_SCREEN_SIDE), y: z.number().int().min(-MAX_SCREEN_SIDE).max(MAX_SCREEN_SIDE),
  width: side, height: side, primary: z.boolean(),
}).strict();
export type ScreenInfo = z.output<typeof screenInfo>;

/** The control state the agent reports: off, active, or paused because the customer moved. */
export const controlStates = ['off', 'active', 'paused'] as const;
export type ControlState = (typeof controlStates)[number];

/** X11 keysyms are 29-bit values; Unicode ones are 0x01000000 + code point. */
const keysym = z.number().int().min(1).max(0x1fffffff);

/** Video codecs a browser customer may send (WebCodecs strings): VP8, VP9, H.264 (Annex B). */
export const videoCodecPattern = /^(vp8|vp09\.\d\d\.\d\d\.\d\d|avc1\.[0-9A-Fa-f]{6})$/;
/** Largest encoded video frame (the frame limit is 1 MiB; room for the header). */
export const MAX_VIDEO_BYTES = 900 * 1024;

export const screenMessageSchemas = {
  /**
   * Customer → console, once keys are confirmed: which client runs the customer's side. A
   * browser page cannot take remote input; the console says so instead of offering control.
   */
  'client.info': z.object({ type: z.literal('client.info'), client: z.enum(['agent', 'browser']), remoteInput: z.boolean() }).strict(),
  /**
   * Browser customer → console: one encoded video frame of the shared screen (WebCodecs
   * EncodedVideoChunk bytes in the payload). Acknowledged with screen.ack like an update;
   * screen.refresh asks for a key frame.
   */
  'screen.video': z.object({
    type: z.literal('screen.video'), seq, codec: z.string().regex(videoCodecPattern), key: z.boolean(),
    timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), size: z.tuple([side, side]), encodeMs: z.number().min(0).max(60_000).optional(),
    /** The encoder's colour space (with key frames): without it a decoder may guess another matrix or range. */
    colorSpace: z.object({
      primaries: z.string().max(20).nullable().optional(), transfer: z.string().max(20).nullable().optional(),
      matrix: z.string().max(20).nullable().optional(), fullRange: z.boolean().nullable().optional(),
    }).strict().optional(),
  }).strict(),
  /** Agent → console: the screens there are and which one is shared. */
  'screen.info': z.object({ type: z.literal('screen.info'), screens: z.array(screenInfo).min(1).max(16), selected: screenId }).strict(),
  /** Console → agent: share this screen instead. */
  'screen.select': z.object({ type: z.literal('screen.select'), screenId }).strict(),
  /**
   * Agent → console: changed rectangles of the shared screen (the one screen.info last named:
   * the channel is ordered); the payload holds their bytes in order. A capture that needs
   * several updates marks all but its final one `last: false`. `size` [width, height] comes
   * with the first update of a picture and whenever it changes. Kept small: a keystroke is one
   * update.
   */
  'screen.update': z.object({
    type: z.literal('screen.update'), seq, last: z.boolean().optional(), size: z.tuple([side, side]).optional(),
    rects: z.array(rect).max(MAX_RECTS), encodeMs: z.number().min(0).max(60_000).optional(),
  }).strict(),
  /**
   * Agent → console: parts of the picture moved (scrolling). Each [srcX, srcY, dstX, dstY, w, h]
   * copies a rectangle of the picture as the console has it to another place, in order, before
   * the screen.update that follows (the channel is ordered); that update brings what scrolled in.
   */
  'screen.copy': z.object({ type: z.literal('screen.copy'), rects: z.array(copyRect).min(1).max(MAX_COPY_RECTS) }).strict(),
  /** Console → agent: update `seq` is painted; the agent keeps only a few unacknowledged. */
  'screen.ack': z.object({ type: z.literal('screen.ack'), seq, decodeMs: z.number().min(0).max(60_000).optional() }).strict(),
  /** Console → agent: send the whole screen again (after a resize or a lost canvas). */
  'screen.refresh': z.object({ type: z.literal('screen.refresh') }).strict(),
  /** Agent → console: pointer position on the shared screen; with a new shape, a PNG payload. */
  'screen.cursor': z.object({
    type: z.literal('screen.cursor'), x: z.number().int().min(-MAX_SCREEN_SIDE).max(MAX_SCREEN_SIDE), y: z.number().int().min(-MAX_SCREEN_SIDE).max(MAX_SCREEN_SIDE),
    shape: z.object({ serial: z.number().int().min(0), width: z.number().int().min(1).max(256), height: z.number().int().min(1).max(256), hotX: z.number().int().min(0).max(256), hotY: z.number().int().min(0).max(256) }).strict().optional(),
  }).strict(),
  /** Agent → console: what runs now and why it changed (the customer paused or stopped it). */
  'screen.state': z.object({
    type: z.literal('screen.state'), viewing: z.boolean(), control: z.enum(controlStates),
    reason: z.enum(['granted', 'customer_input', 'customer_released', 'customer_stopped', 'technician_stopped', 'unavailable', 'error']).optional(),
    detail: z.string().max(300).optional(),
  }).strict(),
  /** Console → agent: move the pointer to (x, y) of the shared screen. */
  'input.pointer': z.object({ type: z.literal('input.pointer'), x: coord, y: coord }).strict(),
  /** Console → agent: press or release mouse button 1–3 (4–7 are the wheel). */
  'input.button': z.object({ type: z.literal('input.button'), button: z.number().int().min(1).max(9), down: z.boolean() }).strict(),
  /** Console → agent: wheel steps (positive = down / right). */
  'input.wheel': z.object({ type: z.literal('input.wheel'), dx: z.number().int().min(-20).max(20), dy: z.number().int().min(-20).max(20) }).strict(),
  /** Console → agent: a key by its X11 keysym, pressed or released. */
  'input.key': z.object({ type: z.literal('input.key'), keysym, down: z.boolean() }).strict(),
  /** Both ways: clipboard text (after control consent). */
  'clipboard.text': z.object({ type: z.literal('clipboard.text'), text: z.string().max(MAX_CLIPBOARD_CHARS) }).strict(),
} as const;
