import { platform } from 'node:os';
import type { ScreenSource } from './source.js';

/**
 * The platform interface of screen sharing: one source per operating system. Linux/X11 exists
 * (x11-source.ts); Windows and macOS come later behind the same interface, and until then
 * `openScreenSource` refuses with a reason the customer and the technician are shown.
 */

export type { CursorImage, Frame, ScreenSource } from './source.js';

/** Why screen sharing cannot work here: another OS, a Wayland desktop, no display, or the display failed. */
export type ScreenBlockReason = 'unsupported_os' | 'wayland' | 'no_display' | 'display_error';

/**
 * A Wayland desktop: XDG_SESSION_TYPE says so, or a Wayland compositor is named (WAYLAND_DISPLAY)
 * outside an X11 session. Its X11 DISPLAY, if any, is XWayland, whose root window shows only
 * X11 programs and black everywhere else, so capturing it would send the technician black
 * frames. A nested compositor inside an X11 session (XDG_SESSION_TYPE=x11) is still X11.
 */
export function waylandSession(env: NodeJS.ProcessEnv): boolean {
  if (env.XDG_SESSION_TYPE === 'wayland') return true;
  return Boolean(env.WAYLAND_DISPLAY) && env.XDG_SESSION_TYPE !== 'x11';
}

/** What the technician is told (the customer reads the translated notice in the terminal). */
export const WAYLAND_DETAIL = 'The customer\'s Linux desktop uses Wayland: this program cannot capture it yet (no portal backend). '
  + 'Screen sharing there goes through the browser client: give the customer a new PIN and let them choose "Get help in this browser".';

/** Why screen sharing cannot start here (a stable key; the detail is for people). */
export class ScreenUnavailable extends Error {
  constructor(readonly reason: ScreenBlockReason, message: string) {
    super(message);
  }
}

/**
 * A quick, synchronous answer for the consent precheck: null when sharing may work here,
 * otherwise why not (then the customer is not even asked).
 */
export function screenBlocker(env: NodeJS.ProcessEnv = process.env, os: NodeJS.Platform = platform()): ScreenUnavailable | null {
  if (os !== 'linux' && os !== 'freebsd' && os !== 'openbsd') {
    return new ScreenUnavailable('unsupported_os', 'Screen sharing is not available on this operating system yet.');
  }
  if (waylandSession(env)) return new ScreenUnavailable('wayland', WAYLAND_DETAIL);
  if (!env.DISPLAY) return new ScreenUnavailable('no_display', 'No X11 display (DISPLAY is not set).');
  return null;
}

/** Opens the screen source of this platform, or throws ScreenUnavailable. */
export async function openScreenSource(env: NodeJS.ProcessEnv = process.env): Promise<ScreenSource> {
  const blocker = screenBlocker(env);
  if (blocker) throw blocker;
  const { X11ScreenSource } = await import('./x11-source.js');
  try {
    return await X11ScreenSource.open(env.DISPLAY!);
  } catch (error) {
    throw new ScreenUnavailable('display_error', (error as Error).message);
  }
}
