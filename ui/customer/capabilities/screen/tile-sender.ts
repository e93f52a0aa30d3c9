import { concat } from '../../../../protocol/bytes.js';
import { FlowControl, defaultFlow } from '../../../../protocol/screen-flow.js';
import { MAX_RECTS, MAX_UPDATE_BYTES, TILE, writeRect, type WireRect } from '../../../../protocol/screen-messages.js';
import type { FrameSource } from './frames.js';
import type { ScreenSender, SenderDeps } from './sender.js';

/** A run of changed tiles on one tile row, sent as one JPEG rectangle. */
interface Run {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The shared screen as the agent sends it (screen.update with JPEG rectangles), for browsers
 * without WebCodecs' VideoEncoder (Firefox before 130, Safari before 16.4): each frame is
 * drawn on a canvas, 64-pixel tiles are compared with the previous frame, and each run of
 * changed tiles on a row is encoded with the canvas's JPEG encoder. The same flow control as
 * the agent's streamer sets the JPEG quality and the interval from the acknowledgements.
 */
export class TileSender implements ScreenSender {
  private readonly flow = new FlowControl(defaultFlow);
  private readonly canvas = document.createElement('canvas');
  private readonly context = this.canvas.getContext('2d', { willReadFrequently: true })!;
  private previous: Uint32Array | null = null;
  private seq = 0;
  private stopped = false;
  private busy = false;

  constructor(private readonly deps: SenderDeps, private readonly source: FrameSource) {}

  start(): void {
    this.tick();
  }

  acked(seq: number): void {
    this.flow.acked(seq);
  }

  keyFrame(): void {
    this.previous = null;
  }

  stop(): void {
    this.stopped = true;
  }

  private tick(): void {
    this.source.next(this.flow.intervalMs, () => {
      void this.capture().finally(() => !this.stopped && this.tick());
    });
  }

  private async capture(): Promise<void> {
    const { width, height } = this.source;
    if (this.busy || width === 0 || height === 0) return;
    if (!this.flow.canSend()) return this.flow.congested();
    this.busy = true;
    try {
      const resized = this.canvas.width !== width || this.canvas.height !== height;
      if (resized) {
        this.canvas.width = width;
        this.canvas.height = height;
        this.previous = null;
      }
      this.context.drawImage(this.source.video, 0, 0, width, height);
      const pixels = new Uint32Array(this.context.getImageData(0, 0, width, height).data.buffer);
      const runs = changedRuns(this.previous, pixels, width, height);
      const first = this.previous === null;
      this.previous = pixels;
      if (runs.length > 0) await this.send(runs, first ? [width, height] : undefined);
    } catch (error) {
      this.deps.failed((error as Error).message);
    } finally {
      this.busy = false;
    }
  }

  /** Encodes the runs and sends them in updates under the protocol's size limits. */
  private async send(runs: Run[], size: [number, number] | undefined): Promise<void> {
    let rects: WireRect[] = [];
    let parts: Uint8Array[] = [];
    let bytes = 0;
    const flush = async (last: boolean) => {
      // Stopped while encoding: nothing may follow the screen.state that says sharing ended.
      if (this.stopped) return;
      this.seq += 1;
      const payload = concat(...parts);
      this.flow.sent(this.seq, payload.length);
      await this.deps.send({ type: 'screen.update', seq: this.seq, ...(last ? {} : { last: false }), ...(size && { size }), rects: rects.map(writeRect) }, payload);
      size = undefined;
      rects = [];
      parts = [];
      bytes = 0;
    };
    for (const run of runs) {
      const jpeg = await this.jpeg(run);
      if (rects.length > 0 && (bytes + jpeg.length > MAX_UPDATE_BYTES || rects.length >= MAX_RECTS)) await flush(false);
      rects.push({ ...run, enc: 'jpeg', len: jpeg.length });
      parts.push(jpeg);
      bytes += jpeg.length;
    }
    await flush(true);
  }

  private async jpeg(run: Run): Promise<Uint8Array> {
    const tile = document.createElement('canvas');
    tile.width = run.w;
    tile.height = run.h;
    tile.getContext('2d')!.drawImage(this.canvas, run.x, run.y, run.w, run.h, 0, 0, run.w, run.h);
    const blob = await new Promise<Blob | null>((resolve) => tile.toBlob(resolve, 'image/jpeg', this.flow.quality / 100));
    if (!blob) throw new Error('The browser could not encode a JPEG.');
    return new Uint8Array(await blob.arrayBuffer());
  }
}

/** Runs of tiles that differ from the previous frame (all tiles when there is none). */
export function changedRuns(previous: Uint32Array | null, pixels: Uint32Array, width: number, height: number): Run[] {
  const runs: Run[] = [];
  for (let ty = 0; ty < height; ty += TILE) {
    const h = Math.min(TILE, height - ty);
    let start = -1;
    for (let tx = 0; tx <= width; tx += TILE) {
      const changed = tx < width && (previous === null || tileDiffers(previous, pixels, width, tx, ty, Math.min(TILE, width - tx), h));
      if (changed && start < 0) start = tx;
      if (!changed && start >= 0) {
        runs.push({ x: start, y: ty, w: Math.min(tx, width) - start, h });
        start = -1;
      }
    }
  }
  return runs;
}

function tileDiffers(a: Uint32Array, b: Uint32Array, width: number, x: number, y: number, w: number, h: number): boolean {
  for (let row = y; row < y + h; row += 1) {
    const offset = row * width + x;
    for (let i = offset; i < offset + w; i += 1) if (a[i] !== b[i]) return true;
  }
  return false;
}
