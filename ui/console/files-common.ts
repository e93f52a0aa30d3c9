import type { Message } from '../../protocol/messages.js';
import type { SessionState } from './state.js';
import type { Store } from './store.js';

export { CHUNK_BYTES } from '../transfer/stream-file.js';

/**
 * Largest file either way: the agent's default limit, 1 GiB. Neither side holds a file whole
 * (ui/transfer: streamed hashing, chunks folded into a Blob).
 */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** What transfers need from the session. */
export interface FileDeps {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  /** Waits while too much sent data is unacknowledged. */
  drain(): Promise<void>;
  store: Store<SessionState>;
}
