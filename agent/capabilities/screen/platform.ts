import { platform } from 'node:os';
import type { ScreenSource } from './source.js';

/**
 * The platform interface of screen sharing: one source per operating system. Linux/X11 exists
 * (x11-source.ts); Windows and macOS come later behind the same interface, and until then
 * `openScreenSource` refuses with a reason the customer and the technician are shown.
 */

export type { CursorImage, Frame, ScreenSource } from './source.js';

/** Why screen sharing cannot start here (a stable key; the detail is for people). */
export class ScreenUnavailable extends Error {
  constructor(readonly reason: 'unsupported_os' | 'no_display' | 'display_error', message: string) {
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
  if (!env.DISPLAY) return new ScreenUnavailable('no_display', 'No X11 display (DISPLAY is not set; Wayland-only sessions are not supported yet).');
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
