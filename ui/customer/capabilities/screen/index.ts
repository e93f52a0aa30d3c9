import type { Message } from '../../../../protocol/messages.js';
import type { PageCapability, PageContext } from '../../session.js';
import { FrameSource } from './frames.js';
import type { ScreenSender } from './sender.js';
import { TileSender } from './tile-sender.js';
import { pickCodec, VideoSender } from './video-sender.js';

/** The page's screen module: sharing after the customer's yes, and the customer's own stop. */
export interface PageScreen extends PageCapability {
  /** The customer stops sharing (the page's button, or the browser's own "stop sharing"). */
  stopSharing(): Promise<void>;
}

type StopReason = 'customer_stopped' | 'technician_stopped' | 'error';

/**
 * Screen sharing from the page. After the customer's yes the browser asks them what to share
 * (getDisplayMedia: a screen, a window or a tab — the browser's own picker, which no page can
 * skip); then the picture goes out as WebCodecs video, or as tiles where there is no
 * VideoEncoder. The customer sees that sharing runs and can stop it at any time; the
 * technician is told why it stopped. There is no remote input from a page.
 */
export function screenCapability(ctx: PageContext): PageScreen {
  let source: FrameSource | null = null;
  let sender: ScreenSender | null = null;

  const state = (viewing: boolean, reason?: Message<'screen.state'>['reason'], detail?: string) =>
    ctx.send({ type: 'screen.state', viewing, control: 'off', ...(reason && { reason }), ...(detail && { detail: detail.slice(0, 300) }) }).catch(() => undefined);

  const stop = async (reason: StopReason, detail?: string): Promise<void> => {
    if (!source) return;
    sender?.stop();
    source.stop();
    sender = null;
    source = null;
    ctx.store.update((s) => ({ ...s, sharing: false }));
    await state(false, reason, detail);
    ctx.broker.report({ event: 'screen', action: 'view.stop', by: reason === 'technician_stopped' ? 'technician' : reason === 'error' ? 'system' : 'customer' });
  };

  const share = async (): Promise<void> => {
    if (source) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 30 } }, audio: false });
    } catch (error) {
      // The customer closed the browser's picker, or the browser cannot share here.
      await state(false, 'customer_stopped', (error as Error).name);
      return;
    }
    const frames = new FrameSource(stream);
    source = frames;
    stream.getVideoTracks()[0]?.addEventListener('ended', () => void stop('customer_stopped'));
    await frames.start();
    const codec = await pickCodec(frames.width || 1280, frames.height || 720);
    const deps = { send: ctx.send, failed: (detail: string) => void stop('error', detail) };
    sender = codec ? new VideoSender(deps, frames, codec) : new TileSender(deps, frames);
    ctx.store.update((s) => ({ ...s, sharing: true }));
    await state(true, 'granted', codec ? `video ${codec}` : 'tiles');
    ctx.broker.report({ event: 'screen', action: 'view.start', by: 'customer' });
    sender.start();
  };

  return {
    offers: { 'screen.view': { granted: () => share() } },
    handlers: {
      'screen.ack': (ack) => sender?.acked(ack.seq),
      'screen.refresh': () => sender?.keyFrame(),
    },
    stopSharing: () => stop('customer_stopped'),
    stop: (capability) => (capability === 'screen.view' ? stop('technician_stopped') : undefined),
    dispose: () => {
      sender?.stop();
      source?.stop();
      sender = null;
      source = null;
    },
  };
}
