/**
 * Frames of a captured MediaStream, paced by the sender: a muted <video> element plays the
 * stream and is sampled when the sender is ready (requestVideoFrameCallback where there is
 * one — Chromium, Safari, Firefox 132+ — else a timer). Works the same in every browser, so
 * the encoders do not depend on MediaStreamTrackProcessor (Chromium only).
 */
export class FrameSource {
  readonly video: HTMLVideoElement;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly stream: MediaStream) {
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = stream;
  }

  async start(): Promise<void> {
    await this.video.play();
  }

  get width(): number {
    return this.video.videoWidth;
  }

  get height(): number {
    return this.video.videoHeight;
  }

  /** Calls `onFrame` for the next new picture after at least `delayMs`. */
  next(delayMs: number, onFrame: () => void): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      const video = this.video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(() => !this.stopped && onFrame());
      else onFrame();
    }, delayMs);
  }

  /** Ends the capture: the browser's "sharing" indicator goes away. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const track of this.stream.getTracks()) track.stop();
    this.video.srcObject = null;
  }
}
