// A static import, so the single-file agent download bundles it (a runtime require would look
// for node_modules next to the download).
import x11 from 'x11';

/**
 * A small promise-based view of the `x11` npm package (pure JavaScript X11 client, no types of
 * its own). Only the requests screen sharing and input injection need are typed here; the rest
 * of the package stays behind this file so another binding could replace it in one place.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Callback<T> = (error: Error | null, value: T) => void;

/** The raw client object of the package (requests take a callback as last argument). */
export type RawClient = any;

/** One open X display connection. */
export interface XDisplay {
  client: RawClient;
  root: number;
  width: number;
  height: number;
  depth: number;
  minKeycode: number;
  maxKeycode: number;
}

/** Connects to `display` (e.g. ":0"); rejects with a readable message when that is impossible. */
export function openDisplay(display: string): Promise<XDisplay> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const client = x11.createClient({ display }, (error: Error | null, info: any) => {
      if (settled) return;
      settled = true;
      if (error) return reject(new Error(`Cannot open X display ${display}: ${error.message}`));
      const screen = info.screen[0];
      resolve({
        client: info.client, root: screen.root, width: screen.pixel_width, height: screen.pixel_height, depth: screen.root_depth,
        minKeycode: info.min_keycode, maxKeycode: info.max_keycode,
      });
    });
    client.on('error', (error: Error) => {
      if (!settled) {
        settled = true;
        reject(new Error(`X display ${display}: ${error.message}`));
      }
    });
  });
}

/** Calls a request that answers through a callback, as a promise. */
export function call<T>(target: any, method: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const cb: Callback<T> = (error, value) => (error ? reject(error instanceof Error ? error : new Error(String((error as any)?.message ?? error))) : resolve(value));
    target[method](...args, cb);
  });
}

/** Loads an X extension by its module name in the package ('shm', 'xtest', 'randr', 'fixes', …). */
export function requireExtension(client: RawClient, name: string): Promise<any> {
  return call<any>(client, 'require', name);
}

/** Closes the connection without throwing (it may be gone already). */
export function closeDisplay(display: XDisplay): void {
  try {
    display.client.terminate();
  } catch {
    // already closed
  }
}
