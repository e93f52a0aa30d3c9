import { concat } from '../../../protocol/bytes.js';
import type { Message } from '../../../protocol/messages.js';
import { TILE, writeRect, type ScreenInfo } from '../../../protocol/screen-messages.js';
import { encodeTiles, packUpdates, type EncodedRect, type JpegEncoder } from './encoder.js';
import { FlowControl, type FlowOptions } from './flow.js';
import type { CursorImage, Frame, ScreenSource } from './source.js';
import { applyScroll, detectScroll, type ScrollCopy } from './scroll.js';
import { changedTiles, copyFrame, type TileRect } from './tiler.js';

/** What the streamer needs from the session. */
export interface StreamerDeps {
  source: ScreenSource;
  send(message: Message, payload?: Uint8Array): Promise<void>;
  jpeg: JpegEncoder | null;
  onError(error: Error): void;
  flow?: FlowOptions;
}

/** Captures without change before lossy tiles are sent again sharp, and the quality then. */
const REFINE_AFTER_IDLE = 4;
const REFINE_QUALITY = 92;
/** Capture interval once the screen has rested a while (saves the customer's CPU). */
const IDLE_INTERVAL_MS = 100;

/** Counters for the console and the benchmark. */
export interface StreamStats {
  frames: number;
  updates: number;
  bytes: number;
  rects: number;
  /** Scrolls sent as a screen.copy instead of tiles. */
  copies: number;
  encodeMs: number;
}

/**
 * Streams one screen: capture → changed tiles → encode → screen.update, paced by the viewer's
 * acks (FlowControl). What the viewer has is kept as `shown`, so a capture that had to wait
 * carries every change since the last update — nothing queues up, nothing is lost.
 */
export class ScreenStreamer {
  readonly stats: StreamStats = { frames: 0, updates: 0, bytes: 0, rects: 0, copies: 0, encodeMs: 0 };
  readonly flow: FlowControl;
  private screen: ScreenInfo | null = null;
  private shown: Frame | null = null;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private busy = false;
  private waitingForAck = false;
  private lastCursor: { x: number; y: number; serial: number } | null = null;
  /** The size the viewer was last told (null: tell it with the next update). */
  private sizeSent: string | null = null;
  /** Captures in a row without any change. */
  private idle = 0;
  /** Grid tiles the viewer has only as lower-quality JPEG. */
  private readonly blurry = new Map<number, TileRect>();

  constructor(private readonly deps: StreamerDeps) {
    this.flow = new FlowControl(deps.flow);
  }

  /** Starts (or switches to) one screen; the viewer gets it whole first. */
  start(screen: ScreenInfo): void {
    this.screen = screen;
    this.shown = null;
    this.sizeSent = null;
    this.lastCursor = null;
    this.flow.reset();
    this.running = true;
    // At rest the streamer looks less often; a change reported by DAMAGE wakes it at once.
    this.deps.source.damage?.onChange(() => {
      if (this.idle > REFINE_AFTER_IDLE && !this.busy && !this.waitingForAck) this.schedule(0);
    });
    this.schedule(0);
  }

  get current(): ScreenInfo | null {
    return this.screen;
  }

  /** The viewer painted update `seq`. */
  ack(seq: number): void {
    this.flow.acked(seq);
    if (this.waitingForAck && this.flow.canSend()) {
      this.waitingForAck = false;
      this.schedule(0);
    }
  }

  /** The viewer wants the whole picture again. */
  refresh(): void {
    this.shown = null;
    this.sizeSent = null;
    this.lastCursor = null;
    this.flow.reset();
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.deps.source.damage?.onChange(null);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.running || this.busy || !this.screen) return;
    if (!this.flow.canSend()) {
      this.flow.congested();
      this.waitingForAck = true;
      return;
    }
    this.busy = true;
    const started = performance.now();
    try {
      await this.sendCursor(this.screen);
      await this.captureAndSend(this.screen);
    } catch (error) {
      this.deps.onError(error as Error);
    } finally {
      this.busy = false;
    }
    const interval = this.idle > REFINE_AFTER_IDLE ? Math.max(this.flow.intervalMs, IDLE_INTERVAL_MS) : this.flow.intervalMs;
    this.schedule(Math.max(0, interval - (performance.now() - started)));
  }

  private async captureAndSend(screen: ScreenInfo): Promise<void> {
    const damage = this.deps.source.damage;
    // Nothing drawn since the last capture (DAMAGE): the viewer has the picture already.
    if (this.shown && damage && !damage.changed()) return this.unchanged(this.shown);
    const captured = await this.deps.source.capture(screen);
    const started = performance.now();
    let tiles = changedTiles(this.shown, captured);
    if (tiles.length === 0) return this.unchanged(captured);
    this.idle = 0;
    if (this.shown) tiles = this.sendScroll(this.shown, captured, tiles);
    if (!this.shown) this.blurry.clear();
    for (const tile of tiles) this.blurry.delete(this.key(tile));
    const rects = await encodeTiles(captured, tiles, this.flow.quality, this.deps.jpeg, this.shown);
    this.shown = copyFrame(captured, this.shown ?? undefined);
    for (const rect of rects) if (rect.enc === 'jpeg' && this.flow.quality < REFINE_QUALITY) this.markBlurry(rect);
    this.sendRects(captured, rects, performance.now() - started);
  }

  /**
   * When part of the change is a scroll, the viewer copies that band on its canvas (screen.copy,
   * sent ahead of this capture's update) and `shown` is moved alike; the tiles still different
   * after the move are what is left to encode.
   */
  private sendScroll(shown: Frame, captured: Frame, tiles: TileRect[]): TileRect[] {
    const copy = detectScroll(shown, captured, tiles);
    if (!copy) return tiles;
    applyScroll(shown, copy);
    this.moveBlurry(copy, captured);
    this.stats.copies += 1;
    this.deps.send({ type: 'screen.copy', rects: [[copy.x, copy.y + copy.dy, copy.x, copy.y, copy.w, copy.h]] }).catch((error: Error) => this.deps.onError(error));
    return changedTiles(shown, captured);
  }

  /** A copy that takes blurred (JPEG) pixels along leaves its destination tiles blurred too. */
  private moveBlurry(copy: ScrollCopy, frame: Frame): void {
    const sourceTop = copy.y + copy.dy;
    const hit = [...this.blurry.values()].some((t) => t.x < copy.x + copy.w && copy.x < t.x + t.w && t.y < sourceTop + copy.h && sourceTop < t.y + t.h);
    if (!hit) return;
    for (let y = Math.floor(copy.y / TILE) * TILE; y < copy.y + copy.h; y += TILE) {
      for (let x = Math.floor(copy.x / TILE) * TILE; x < copy.x + copy.w; x += TILE) {
        const tile = { x, y, w: Math.min(TILE, frame.width - x), h: Math.min(TILE, frame.height - y) };
        this.blurry.set(this.key(tile), tile);
      }
    }
  }

  /** A capture found nothing new; after a few, blurred tiles are sent sharp. */
  private async unchanged(frame: Frame): Promise<void> {
    this.idle += 1;
    if (this.idle === REFINE_AFTER_IDLE && this.blurry.size > 0) await this.refine(frame);
  }

  /** The screen rests: the tiles the viewer has only blurred go again at high quality. */
  private async refine(captured: Frame): Promise<void> {
    const started = performance.now();
    const tiles = [...this.blurry.values()];
    this.blurry.clear();
    this.sendRects(captured, await encodeTiles(captured, tiles, REFINE_QUALITY, this.deps.jpeg), performance.now() - started);
  }

  private sendRects(captured: Frame, rects: EncodedRect[], encodeMs: number): void {
    this.stats.frames += 1;
    this.stats.encodeMs += encodeMs;
    const updates = packUpdates(rects);
    // Not awaited: compression and encryption of this update overlap the next capture (the
    // endpoint keeps messages in order; the ack window bounds how many are under way).
    for (const [i, update] of updates.entries()) this.sendUpdate(captured, update, i === updates.length - 1).catch((error: Error) => this.deps.onError(error));
  }

  private async sendUpdate(frame: Frame, rects: EncodedRect[], last: boolean): Promise<void> {
    const seq = (this.seq += 1);
    const payload = concat(...rects.map((r) => r.bytes));
    // A picture starts with its size (start, refresh, switch); later updates only when it changes.
    const size = `${frame.width}x${frame.height}`;
    const newSize = this.sizeSent !== size;
    this.sizeSent = size;
    const header: Message<'screen.update'> = {
      type: 'screen.update', seq, ...(!last && { last }), ...(newSize && { size: [frame.width, frame.height] as [number, number] }),
      rects: rects.map((r) => writeRect({ x: r.x, y: r.y, w: r.w, h: r.h, enc: r.enc, len: r.bytes.length, ...(r.color !== undefined && { color: r.color }) })),
    };
    this.flow.sent(seq, payload.length);
    this.stats.updates += 1;
    this.stats.bytes += payload.length;
    this.stats.rects += rects.length;
    await this.deps.send(header, payload);
  }

  private key(tile: TileRect): number {
    return (tile.y / TILE) * 65536 + tile.x / TILE;
  }

  private markBlurry(rect: EncodedRect): void {
    for (let y = rect.y; y < rect.y + rect.h; y += TILE) {
      for (let x = rect.x; x < rect.x + rect.w; x += TILE) {
        const tile = { x, y, w: Math.min(TILE, rect.x + rect.w - x), h: Math.min(TILE, rect.y + rect.h - y) };
        this.blurry.set(this.key(tile), tile);
      }
    }
  }

  /** Sends the pointer when it moved, with its shape (straight RGBA) when that changed. */
  private async sendCursor(screen: ScreenInfo): Promise<void> {
    const cursor = await this.deps.source.cursor().catch(() => null);
    if (!cursor) return;
    const x = cursor.x - screen.x;
    const y = cursor.y - screen.y;
    const last = this.lastCursor;
    if (last && last.x === x && last.y === y && last.serial === cursor.serial) return;
    const newShape = cursor.argb && (!last || last.serial !== cursor.serial) && cursor.width <= 256 && cursor.height <= 256;
    this.lastCursor = { x, y, serial: cursor.serial };
    const clampX = Math.max(-16384, Math.min(16384, x));
    const clampY = Math.max(-16384, Math.min(16384, y));
    if (!newShape) return this.deps.send({ type: 'screen.cursor', x: clampX, y: clampY });
    const shape = { serial: cursor.serial, width: cursor.width, height: cursor.height, hotX: Math.min(256, cursor.hotX), hotY: Math.min(256, cursor.hotY) };
    await this.deps.send({ type: 'screen.cursor', x: clampX, y: clampY, shape }, cursorRgba(cursor));
  }
}

/** Premultiplied ARGB32 → straight RGBA bytes (what a canvas ImageData takes). */
export function cursorRgba(cursor: CursorImage): Uint8Array {
  const out = new Uint8Array(cursor.width * cursor.height * 4);
  const argb = cursor.argb!;
  for (let i = 0; i < cursor.width * cursor.height; i += 1) {
    const p = argb[i]! >>> 0;
    const a = p >>> 24;
    const un = (c: number) => (a === 0 ? 0 : Math.min(255, Math.round((c * 255) / a)));
    out[i * 4] = un((p >> 16) & 0xff);
    out[i * 4 + 1] = un((p >> 8) & 0xff);
    out[i * 4 + 2] = un(p & 0xff);
    out[i * 4 + 3] = a;
  }
  return out;
}
