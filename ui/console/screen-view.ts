import type { Capability, Message } from '../../protocol/messages.js';
import type { ControlState, ScreenInfo } from '../../protocol/screen-messages.js';
import type { HandlerMap } from './handlers.js';
import { paintCopy, paintUpdate } from './screen-paint.js';
import { VideoPlayer } from './screen-video.js';
import { Store } from './store.js';

/** What the screen panel shows. */
export interface ScreenViewState {
  view: 'off' | 'asking' | 'on' | 'refused' | 'unavailable' | 'stopped';
  control: 'off' | 'asking' | 'refused' | ControlState;
  /** Why the last change happened (screen.state reason), for the panel's message. */
  reason: string | null;
  detail: string | null;
  screens: ScreenInfo[];
  selected: string | null;
  width: number;
  height: number;
  fps: number;
  /** Screen data received per second (before the channel's compression and encryption). */
  bytesPerSecond: number;
  frames: number;
  /** The customer's clipboard text, as last copied on their side while under control. */
  clipboard: string | null;
  /** Which client the customer runs (client.info); a browser page takes no remote input. */
  client: 'agent' | 'browser';
  /** How the picture arrives: tiles (the agent, a page without WebCodecs) or video. */
  transport: 'tiles' | 'video';
}

const initial: ScreenViewState = { view: 'off', control: 'off', reason: null, detail: null, screens: [], selected: null, width: 0, height: 0, fps: 0, bytesPerSecond: 0, frames: 0, clipboard: null, client: 'agent', transport: 'tiles' };

/** What the viewer needs from the session (ConsoleSession.plug). */
export interface ScreenPort {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  ask(capability: Capability): Promise<boolean>;
}

/**
 * The technician's side of screen sharing: asks for view and control (each its own consent),
 * paints updates on its canvas and acknowledges each one once it is painted (the agent sends
 * no more than a few ahead), draws the remote pointer on an overlay, and keeps fps/bandwidth.
 */
export class ScreenViewer {
  readonly store = new Store<ScreenViewState>(initial);
  readonly canvas: HTMLCanvasElement;
  readonly cursorCanvas: HTMLCanvasElement;
  private port: ScreenPort | null = null;
  private readonly context: CanvasRenderingContext2D;
  private readonly cursorContext: CanvasRenderingContext2D;
  private cursorImage: ImageBitmap | null = null;
  private cursorHot = { x: 0, y: 0 };
  private readonly samples: { at: number; bytes: number; frame: boolean }[] = [];
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private frameRects: (readonly [number, number, number, number, string])[] = [];
  private refreshAsked = false;
  private readonly video: VideoPlayer;
  private lastKeyAsk = 0;

  constructor() {
    this.canvas = document.createElement('canvas');
    this.cursorCanvas = document.createElement('canvas');
    this.context = this.canvas.getContext('2d', { alpha: false })!;
    this.cursorContext = this.cursorCanvas.getContext('2d')!;
    this.video = new VideoPlayer({ frame: (frame, seq, decodeMs) => this.onVideoFrame(frame, seq, decodeMs), needKey: () => this.askKeyFrame() });
  }

  /** Connects the viewer to a session's channel. */
  connect(port: ScreenPort): void {
    this.port = port;
  }

  readonly handlers: HandlerMap = {
    'screen.info': (info) => this.patch({ screens: info.screens, selected: info.selected }),
    'screen.state': (state) => this.onState(state),
    'screen.update': (update, payload) => this.onUpdate(update, payload),
    'screen.copy': (copy) => this.onCopy(copy),
    'screen.cursor': (cursor, payload) => this.onCursor(cursor, payload),
    'clipboard.text': (clip) => this.patch({ clipboard: clip.text }),
    'client.info': (info) => this.patch({ client: info.client }),
    'screen.video': (video, payload) => this.onVideo(video, payload),
  };

  /** Asks the broker and then the customer to see the screen. */
  async requestView(): Promise<void> {
    this.patch({ view: 'asking', reason: null, detail: null });
    const granted = (await this.port?.ask('screen.view')) ?? false;
    if (!granted) this.patch({ view: this.store.get().view === 'asking' ? 'refused' : this.store.get().view });
  }

  /** Asks for control of mouse and keyboard (a second, separate consent). */
  async requestControl(): Promise<void> {
    this.patch({ control: 'asking' });
    const granted = (await this.port?.ask('screen.control')) ?? false;
    if (!granted && this.store.get().control === 'asking') this.patch({ control: 'refused' });
  }

  async stopView(): Promise<void> {
    await this.port?.send({ type: 'capability.stop', capability: 'screen.view' });
  }

  async stopControl(): Promise<void> {
    await this.port?.send({ type: 'capability.stop', capability: 'screen.control' });
  }

  /** Puts text on the customer's clipboard (only while controlling). */
  async sendClipboard(text: string): Promise<void> {
    if (this.store.get().control !== 'active' || !text) return;
    await this.port?.send({ type: 'clipboard.text', text: text.slice(0, 32 * 1024) });
  }

  async select(screenId: string): Promise<void> {
    await this.port?.send({ type: 'screen.select', screenId });
  }

  /** Sends a remote input message, only while control is active. */
  input(message: Message<'input.pointer' | 'input.button' | 'input.wheel' | 'input.key'>): void {
    if (this.store.get().control !== 'active') return;
    void this.port?.send(message).catch(() => undefined);
  }

  /** Starts the once-a-second fps/bandwidth figures. */
  start(): void {
    this.statsTimer ??= setInterval(() => this.updateStats(), 500);
  }

  dispose(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.video.close();
  }

  private onState(state: Message<'screen.state'>): void {
    const view = state.viewing ? 'on' : state.reason === 'unavailable' ? 'unavailable' : this.store.get().view === 'asking' && !state.reason ? 'asking' : 'stopped';
    this.patch({ view, control: state.control, reason: state.reason ?? null, detail: state.detail ?? null });
    if (!state.viewing) this.video.close();
  }

  private onVideo(video: Message<'screen.video'>, payload: Uint8Array): void {
    if (this.store.get().view !== 'on') this.patch({ view: 'on' });
    if (this.store.get().transport !== 'video') this.patch({ transport: 'video' });
    this.samples.push({ at: performance.now(), bytes: payload.length, frame: false });
    this.video.decode(video, payload);
  }

  /** A decoded video frame: drawn, counted, acknowledged (the sender keeps only a few unacknowledged). */
  private onVideoFrame(frame: VideoFrame, seq: number, decodeMs: number): void {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = this.cursorCanvas.width = width;
      this.canvas.height = this.cursorCanvas.height = height;
      this.patch({ width, height });
    }
    this.context.drawImage(frame, 0, 0, width, height);
    frame.close();
    this.samples.push({ at: performance.now(), bytes: 0, frame: true });
    this.canvas.dataset.frames = String(Number(this.canvas.dataset.frames ?? 0) + 1);
    if (seq >= 0) void this.port?.send({ type: 'screen.ack', seq, decodeMs: Math.round(decodeMs * 10) / 10 }).catch(() => undefined);
  }

  /** Asks for a key frame, at most twice a second. */
  private askKeyFrame(): void {
    const now = performance.now();
    if (now - this.lastKeyAsk < 500) return;
    this.lastKeyAsk = now;
    void this.port?.send({ type: 'screen.refresh' }).catch(() => undefined);
  }

  private async onUpdate(update: Message<'screen.update'>, payload: Uint8Array): Promise<void> {
    if (this.store.get().view !== 'on' && !this.refreshAsked) {
      // Sharing already runs (this page was reloaded mid-session): ask for the whole picture.
      this.refreshAsked = true;
      this.patch({ view: 'on' });
      void this.port?.send({ type: 'screen.refresh' }).catch(() => undefined);
    }
    const [width, height] = update.size ?? [this.canvas.width, this.canvas.height];
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = this.cursorCanvas.width = width;
      this.canvas.height = this.cursorCanvas.height = height;
      this.patch({ width, height });
    }
    const started = performance.now();
    await paintUpdate(this.context, update, payload, width, height);
    const last = update.last !== false;
    this.samples.push({ at: performance.now(), bytes: payload.length, frame: last });
    // What the last frame carried, readable from the page (tests, and support staff debugging).
    this.frameRects.push(...update.rects.map((r) => [r[0], r[1], r[2], r[3], r[4]] as const));
    if (last) {
      this.canvas.dataset.frames = String(Number(this.canvas.dataset.frames ?? 0) + 1);
      this.canvas.dataset.lastFrame = JSON.stringify(this.frameRects);
      this.canvas.dataset.firstFrame ??= this.canvas.dataset.lastFrame;
      this.frameRects = [];
    }
    void this.port?.send({ type: 'screen.ack', seq: update.seq, decodeMs: Math.round((performance.now() - started) * 10) / 10 }).catch(() => undefined);
  }

  /** Scrolled parts of the picture move on the canvas; the update after it brings the rest. */
  private onCopy(copy: Message<'screen.copy'>): void {
    paintCopy(this.context, copy, this.canvas.width, this.canvas.height);
    this.frameRects.push(...copy.rects.map(([, , dx, dy, w, h]) => [dx, dy, w, h, 'copy'] as const));
    this.canvas.dataset.copies = String(Number(this.canvas.dataset.copies ?? 0) + 1);
  }

  private async onCursor(cursor: Message<'screen.cursor'>, payload: Uint8Array): Promise<void> {
    if (cursor.shape && payload.length === cursor.shape.width * cursor.shape.height * 4) {
      this.cursorImage?.close();
      const pixels = new Uint8ClampedArray(payload.length);
      pixels.set(payload);
      this.cursorImage = await createImageBitmap(new ImageData(pixels, cursor.shape.width, cursor.shape.height));
      this.cursorHot = { x: cursor.shape.hotX, y: cursor.shape.hotY };
    }
    const c = this.cursorContext;
    c.clearRect(0, 0, this.cursorCanvas.width, this.cursorCanvas.height);
    if (this.cursorImage) c.drawImage(this.cursorImage, cursor.x - this.cursorHot.x, cursor.y - this.cursorHot.y);
  }

  private updateStats(): void {
    const now = performance.now();
    while (this.samples.length > 0 && now - this.samples[0]!.at > 2_000) this.samples.shift();
    const span = 2;
    const frames = this.samples.filter((s) => s.frame).length;
    const bytes = this.samples.reduce((n, s) => n + s.bytes, 0);
    this.patch({ fps: Math.round((frames / span) * 10) / 10, bytesPerSecond: Math.round(bytes / span), frames: Number(this.canvas.dataset.frames ?? 0) });
  }

  private patch(change: Partial<ScreenViewState>): void {
    this.store.update((s) => ({ ...s, ...change }));
  }
}
