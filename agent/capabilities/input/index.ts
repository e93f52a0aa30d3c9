import type { Actor, ScreenShare } from '../screen/share.js';
import { screenBlocker } from '../screen/platform.js';
import type { AgentCapability, CapabilityContext } from '../types.js';
import { LocalInputGuard } from './guard.js';
import { X11Clipboard } from './x11-clipboard.js';
import { X11Input } from './x11-input.js';

/**
 * Remote control (`screen.control`): the technician's pointer and keys, injected with XTEST on
 * the shared screen, and clipboard text both ways. Only while the customer said yes, only while they are not using the mouse
 * or keyboard themselves (LocalInputGuard pauses it), and stoppable by them at any time.
 */
export function inputCapability(ctx: CapabilityContext, share: ScreenShare, env: NodeJS.ProcessEnv): AgentCapability {
  let input: X11Input | null = null;
  let guard: LocalInputGuard | null = null;
  let clipboard: X11Clipboard | null = null;

  const setControl = async (state: ScreenShare['control'], reason: Parameters<ScreenShare['report']>[0]): Promise<void> => {
    share.control = state;
    await share.report(reason).catch(() => undefined);
  };

  const start = async (): Promise<void> => {
    if (input) return share.report('granted');
    try {
      input = await X11Input.open(env.DISPLAY ?? '');
    } catch (error) {
      ctx.ui.notify({ event: 'screen', state: 'unavailable', detail: (error as Error).message });
      await share.report('unavailable', (error as Error).message);
      return;
    }
    const injector = input;
    guard = new LocalInputGuard(injector, {
      onPause: () => {
        injector.releaseAll();
        ctx.ui.notify({ event: 'screen', state: 'control-paused' });
        ctx.events.report({ event: 'screen', action: 'control.paused', by: 'customer' });
        void setControl('paused', 'customer_input');
      },
      onResume: () => {
        ctx.ui.notify({ event: 'screen', state: 'control-resumed' });
        ctx.events.report({ event: 'screen', action: 'control.resumed', by: 'customer' });
        void setControl('active', 'customer_released');
      },
    });
    guard.start();
    // Clipboard text both ways while control runs; without it control still works.
    clipboard = await X11Clipboard.open(env.DISPLAY ?? '').catch(() => null);
    clipboard?.onChange((text) => void ctx.send({ type: 'clipboard.text', text }).catch(() => undefined));
    ctx.ui.notify({ event: 'screen', state: 'control' });
    ctx.events.report({ event: 'screen', action: 'control.start', by: 'customer' });
    await setControl('active', 'granted');
  };

  const stop = async (by: Actor): Promise<void> => {
    if (!input) return;
    guard?.stop();
    guard = null;
    const closing = input;
    input = null;
    clipboard?.close();
    clipboard = null;
    await closing.close();
    ctx.ui.notify({ event: 'screen', state: 'control-stopped', by });
    ctx.events.report({ event: 'screen', action: 'control.stop', by });
    // Not awaited: at the session's end the channel is closed and this message never goes out.
    void setControl('off', by === 'customer' ? 'customer_stopped' : by === 'technician' ? 'technician_stopped' : 'error');
  };
  share.stopControl = stop;

  /** The injector, when remote input may act now (granted, and the customer is not busy). */
  const active = (): X11Input | null => (input && share.control === 'active' && !guard?.isPaused ? input : null);

  return {
    id: 'input',
    consents: {
      'screen.control': {
        kind: 'confirm',
        precheck: () => {
          const blocker = screenBlocker(env);
          return blocker ? { reason: 'unavailable', why: blocker.reason } : null;
        },
        granted: () => start(),
      },
    },
    handlers: {
      'input.pointer': (move) => {
        const screen = share.current();
        if (!screen) return;
        active()?.move(screen.x + Math.min(move.x, screen.width - 1), screen.y + Math.min(move.y, screen.height - 1));
      },
      'input.button': (press) => active()?.button(press.button, press.down),
      'input.wheel': (wheel) => active()?.wheel(wheel.dx, wheel.dy),
      'input.key': (key) => active()?.key(key.keysym, key.down),
      'clipboard.text': (message) => (active() ? clipboard?.set(message.text) : undefined),
    },
    commands: {
      'stop-control': () => stop('customer'),
    },
    stop: (capability) => (capability === 'screen.control' ? stop('technician') : undefined),
    dispose: () => stop('system'),
  };
}
