import type { Message } from '../../../protocol/messages.js';
import type { ScreenInfo } from '../../../protocol/screen-messages.js';
import { inputCapability } from '../input/index.js';
import type { AgentCapability, CapabilityContext } from '../types.js';
import { loadJpegEncoder } from './encoder.js';
import { openScreenSource, screenBlocker } from './platform.js';
import type { ScreenSource } from './source.js';
import type { Actor, ScreenShare } from './share.js';
import { ScreenStreamer } from './streamer.js';

export type { Actor, ScreenShare } from './share.js';

/**
 * Screen sharing (`screen.view`) and, with it, remote control (`screen.control`, in
 * ../input): two capabilities, two separate consents, one shared state. The customer sees
 * every change in their terminal and can stop either at any time (/stop-screen, /stop-control).
 */
export function screenCapabilities(ctx: CapabilityContext, env: NodeJS.ProcessEnv = process.env): AgentCapability[] {
  let source: ScreenSource | null = null;
  let streamer: ScreenStreamer | null = null;
  let screens: ScreenInfo[] = [];

  const share: ScreenShare = {
    current: () => streamer?.current ?? null,
    control: 'off',
    report: (reason, detail) => ctx.send({ type: 'screen.state', viewing: streamer !== null, control: share.control, ...(reason && { reason }), ...(detail && { detail: detail.slice(0, 300) }) }),
  };

  const start = async (): Promise<void> => {
    if (streamer) {
      // Asked again (the technician's page was reloaded): a whole picture and the state.
      await ctx.send({ type: 'screen.info', screens, selected: streamer.current!.id });
      streamer.refresh();
      return share.report('granted');
    }
    try {
      source = await openScreenSource(env);
      screens = await source.screens();
    } catch (error) {
      source?.close();
      source = null;
      ctx.ui.notify({ event: 'screen', state: 'unavailable', detail: (error as Error).message });
      await share.report('unavailable', (error as Error).message);
      return;
    }
    const selected = screens.find((s) => s.primary) ?? screens[0]!;
    streamer = new ScreenStreamer({
      source, send: ctx.send, jpeg: await loadJpegEncoder(),
      onError: (error) => void stop('system', error.message),
    });
    await ctx.send({ type: 'screen.info', screens, selected: selected.id });
    streamer.start(selected);
    ctx.ui.notify({ event: 'screen', state: 'viewing' });
    ctx.events.report({ event: 'screen', action: 'view.start', by: 'customer' });
    await share.report('granted');
  };

  const stop = async (by: Actor, detail?: string): Promise<void> => {
    if (!streamer) return;
    await share.stopControl?.(by);
    streamer.stop();
    streamer = null;
    source?.close();
    source = null;
    ctx.ui.notify({ event: 'screen', state: 'view-stopped', by });
    ctx.events.report({ event: 'screen', action: 'view.stop', by });
    // Not awaited: at the session's end the channel is closed and this message never goes out.
    void share.report(by === 'customer' ? 'customer_stopped' : by === 'technician' ? 'technician_stopped' : 'error', detail).catch(() => undefined);
  };

  /**
   * Refuses at once where sharing cannot work (another OS, a Wayland desktop, no display),
   * telling the technician why; nothing is captured, so no black frames ever go out.
   */
  const unavailable = (): { reason: string; why: string } | null => {
    const blocker = screenBlocker(env);
    if (!blocker) return null;
    void ctx.send({ type: 'screen.state', viewing: false, control: 'off', reason: 'unavailable', detail: blocker.message }).catch(() => undefined);
    return { reason: 'unavailable', why: blocker.reason };
  };

  const view: AgentCapability = {
    id: 'screen',
    consents: {
      'screen.view': {
        kind: 'confirm',
        precheck: () => unavailable(),
        granted: () => start(),
      },
    },
    handlers: {
      'screen.ack': (ack) => streamer?.ack(ack.seq),
      'screen.refresh': () => streamer?.refresh(),
      'screen.select': async (select) => {
        const screen = screens.find((s) => s.id === select.screenId);
        if (!streamer || !screen) return;
        streamer.start(screen);
        await ctx.send({ type: 'screen.info', screens, selected: screen.id });
      },
    },
    commands: {
      'stop-screen': () => stop('customer'),
    },
    stop: (capability) => (capability === 'screen.view' ? stop('technician') : undefined),
    dispose: () => stop('system'),
  };
  return [view, inputCapability(ctx, share, env)];
}
