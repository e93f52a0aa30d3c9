import type { Message } from '../../protocol/messages.js';
import type { SessionState } from './state.js';
import type { Store } from './store.js';

/** The protocol's chunk size. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Largest file either way. The browser holds a whole file in memory (WebCrypto digests one
 * buffer), and the agent's default limit is the same 1 GiB.
 */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** What transfers need from the session. */
export interface FileDeps {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  /** Waits while too much sent data is unacknowledged. */
  drain(): Promise<void>;
  store: Store<SessionState>;
}

/** Lowercase hex SHA-256 (WebCrypto). */
export async function sha256Hex(data: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
