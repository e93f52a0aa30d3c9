import { FlowControl } from '../../../../protocol/screen-flow.js';
import { MAX_VIDEO_BYTES } from '../../../../protocol/screen-messages.js';
import type { FrameSource } from './frames.js';
import type { ScreenSender, SenderDeps } from './sender.js';

/** Codecs tried in order: VP9 and VP8 are in every WebCodecs browser; H.264 where those are not. */
const CODECS = ['vp09.00.10.08', 'vp8', 'avc1.42E01F'] as const;
/** Bits per pixel per second at the best quality (about 4.1 Mbit/s at 1920×1080). */
const BITS_PER_PIXEL = 2;
/** A key frame at least this often, so a lost decoder recovers. */
const KEY_EVERY_MS = 10_000;

/** The first codec this browser encodes at this size, or null (no WebCodecs, or none works). */
export async function pickCodec(width: number, height: number): Promise<string | null> {
  if (typeof globalThis.VideoEncoder !== 'function') return null;
  for (const codec of CODECS) {
    const config = encoderConfig(codec, width, height, 1_000_000);
    try {
      if ((await VideoEncoder.isConfigSupported(config)).supported) return codec;
    } catch {
      // not this one
    }
  }
  return null;
}

function encoderConfig(codec: string, width: number, height: number, bitrate: number): VideoEncoderConfig {
  return {
    codec, width, height, bitrate, framerate: 30, latencyMode: 'realtime',
    ...(codec.startsWith('avc1') && { avc: { format: 'annexb' } }),
  } as VideoEncoderConfig;
}

/**
 * The shared screen as video (WebCodecs VideoEncoder): each frame the flow control allows is
 * encoded and sent as screen.video; the technician's screen.ack steers the bitrate and the
 * frame interval exactly as the agent's tile streamer steers its JPEG quality (the same
 * FlowControl); screen.refresh asks for a key frame.
 */
export class VideoSender implements ScreenSender {
  private encoder: VideoEncoder | null = null;
  private readonly flow = new FlowControl({ maxInFlight: 4, minIntervalMs: 30, maxIntervalMs: 500, minQuality: 10, maxQuality: 80, staleMs: 5_000 });
  private seq = 0;
  private wantKey = true;
  private lastKeyAt = 0;
  private size: [number, number] = [0, 0];
  private quality = 0;
  private readonly encodeStarted = new Map<number, number>();
  private stopped = false;
  private colorSpace: { primaries: string | null; transfer: string | null; matrix: string | null; fullRange: boolean | null } | null = null;

  constructor(private readonly deps: SenderDeps, private readonly source: FrameSource, readonly codec: string) {}

  start(): void {
    this.tick();
  }

  acked(seq: number): void {
    this.flow.acked(seq);
  }

  keyFrame(): void {
    this.wantKey = true;
  }

  stop(): void {
    this.stopped = true;
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    this.encoder = null;
  }

  private tick(): void {
    this.source.next(this.flow.intervalMs, () => {
      this.capture();
      if (!this.stopped) this.tick();
    });
  }

  private capture(): void {
    const width = this.source.width & ~1;
    const height = this.source.height & ~1;
    if (width === 0 || height === 0) return;
    if (!this.flow.canSend()) return this.flow.congested();
    if (width !== this.size[0] || height !== this.size[1] || this.flow.quality !== this.quality || !this.encoder) this.configure(width, height);
    const encoder = this.encoder!;
    if (encoder.encodeQueueSize > 2) return this.flow.congested();
    const now = performance.now();
    const timestamp = Math.round(now * 1000);
    const frame = new VideoFrame(this.source.video, { timestamp, visibleRect: { x: 0, y: 0, width, height } });
    const key = this.wantKey || now - this.lastKeyAt > KEY_EVERY_MS;
    if (key) {
      this.wantKey = false;
      this.lastKeyAt = now;
    }
    this.encodeStarted.set(timestamp, now);
    try {
      encoder.encode(frame, { keyFrame: key });
    } finally {
      frame.close();
    }
  }

  /** (Re)configures for a size or quality; the next frame is a key frame. */
  private configure(width: number, height: number): void {
    const bitrate = Math.max(150_000, Math.round(width * height * BITS_PER_PIXEL * (this.flow.quality / 80)));
    if (!this.encoder || this.encoder.state === 'closed') {
      this.encoder = new VideoEncoder({ output: (chunk, metadata) => this.output(chunk, metadata), error: (error) => this.deps.failed(error.message) });
    }
    const resized = width !== this.size[0] || height !== this.size[1];
    this.encoder.configure(encoderConfig(this.codec, width, height, bitrate));
    this.size = [width, height];
    this.quality = this.flow.quality;
    if (resized) this.wantKey = true;
  }

  private output(chunk: EncodedVideoChunk, metadata?: EncodedVideoChunkMetadata): void {
    if (this.stopped) return;
    if (chunk.byteLength > MAX_VIDEO_BYTES) return this.keyFrame(); // too big to send: start again smaller
    const bytes = new Uint8Array(chunk.byteLength);
    chunk.copyTo(bytes);
    const started = this.encodeStarted.get(chunk.timestamp);
    this.encodeStarted.delete(chunk.timestamp);
    const space = metadata?.decoderConfig?.colorSpace;
    if (space) this.colorSpace = { primaries: space.primaries ?? null, transfer: space.transfer ?? null, matrix: space.matrix ?? null, fullRange: space.fullRange ?? null };
    this.seq += 1;
    this.flow.sent(this.seq, bytes.length);
    void this.deps.send({
      type: 'screen.video', seq: this.seq, codec: this.codec, key: chunk.type === 'key', timestamp: chunk.timestamp, size: this.size,
      ...(started !== undefined && { encodeMs: Math.round((performance.now() - started) * 10) / 10 }),
      ...(chunk.type === 'key' && this.colorSpace && { colorSpace: this.colorSpace }),
    }, bytes).catch(() => undefined);
  }
}
