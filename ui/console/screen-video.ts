import type { Message } from '../../protocol/messages.js';
import { MAX_VIDEO_BYTES } from '../../protocol/screen-messages.js';

/** What the decoder tells the viewer. */
export interface VideoEvents {
  /** A frame is decoded: draw it (then it is closed), and acknowledge `seq`. */
  frame(frame: VideoFrame, seq: number, decodeMs: number): void;
  /** A key frame is needed (start, a codec change, a decoder error). */
  needKey(): void;
}

/**
 * A browser customer's screen as WebCodecs video: one VideoDecoder per codec and size,
 * configured at each key frame; delta frames before the first key frame are dropped and a
 * key frame is asked for. A decoder error resets it and asks again: the picture recovers at
 * the next key frame, the session goes on.
 */
export class VideoPlayer {
  private decoder: VideoDecoder | null = null;
  private config = '';
  private waitingForKey = true;
  private readonly started = new Map<number, { seq: number; at: number }>();

  constructor(private readonly events: VideoEvents) {}

  /** Whether this browser can show video at all (the console needs WebCodecs for it). */
  static get supported(): boolean {
    return typeof globalThis.VideoDecoder === 'function';
  }

  decode(message: Message<'screen.video'>, payload: Uint8Array): void {
    if (payload.length === 0 || payload.length > MAX_VIDEO_BYTES) return;
    const config = `${message.codec}/${message.size[0]}x${message.size[1]}/${JSON.stringify(message.colorSpace ?? null)}`;
    if (message.key && config !== this.config) this.configure(message, config);
    if (this.waitingForKey && !message.key) return this.events.needKey();
    if (!this.decoder || this.decoder.state !== 'configured') return;
    this.waitingForKey = false;
    this.started.set(message.timestamp, { seq: message.seq, at: performance.now() });
    try {
      this.decoder.decode(new EncodedVideoChunk({ type: message.key ? 'key' : 'delta', timestamp: message.timestamp, data: payload }));
    } catch {
      this.reset();
    }
  }

  /** Stops decoding (sharing stopped, page left). */
  close(): void {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    this.config = '';
    this.waitingForKey = true;
    this.started.clear();
  }

  private configure(message: Message<'screen.video'>, config: string): void {
    this.close();
    this.decoder = new VideoDecoder({
      output: (frame) => {
        const entry = this.started.get(frame.timestamp);
        this.started.delete(frame.timestamp);
        this.events.frame(frame, entry?.seq ?? -1, entry ? performance.now() - entry.at : 0);
      },
      error: () => this.reset(),
    });
    this.decoder.configure({
      codec: message.codec, codedWidth: message.size[0], codedHeight: message.size[1], optimizeForLatency: true,
      ...(message.colorSpace && { colorSpace: message.colorSpace }),
      ...(message.codec.startsWith('avc1') && { avc: { format: 'annexb' } }),
    } as VideoDecoderConfig);
    this.config = config;
  }

  private reset(): void {
    this.close();
    this.events.needKey();
  }
}
