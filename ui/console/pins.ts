/**
 * The session PINs this browser tab created. The console needs a session's PIN for the
 * end-to-end handshake (it is the PAKE password), so it keeps it in sessionStorage — this tab
 * only, gone when the tab closes — and sends it nowhere.
 */

const PREFIX = 'rescuebox.pin.';

/** Keeps a new session's PIN for its session page. */
export function rememberPin(sessionId: string, pin: string): void {
  globalThis.sessionStorage?.setItem(PREFIX + sessionId, pin);
}

/** The PIN of a session this tab created (or that was typed in), if any. */
export function recallPin(sessionId: string): string | null {
  return globalThis.sessionStorage?.getItem(PREFIX + sessionId) ?? null;
}

/** Forgets a PIN once its session is over. */
export function forgetPin(sessionId: string): void {
  globalThis.sessionStorage?.removeItem(PREFIX + sessionId);
}

/** Forgets the PINs of sessions that are no longer open. */
export function forgetPinsExcept(openIds: Iterable<string>): void {
  const storage = globalThis.sessionStorage;
  if (!storage) return;
  const keep = new Set([...openIds].map((id) => PREFIX + id));
  for (let i = storage.length - 1; i >= 0; i -= 1) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX) && !keep.has(key)) storage.removeItem(key);
  }
}
