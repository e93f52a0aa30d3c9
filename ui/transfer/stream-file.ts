import type { Message } from '../../protocol/messages.js';
import type { TransferWait } from '../../protocol/transfer-wait.js';

/** The protocol's chunk size. */
export const CHUNK_BYTES = 64 * 1024;

/** What streaming a file needs from a session. */
export interface StreamDeps {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  /** Waits while too much sent data is unacknowledged (the end-to-end window). */
  drain(): Promise<void>;
}

/**
 * Sends a local file's bytes as 64 KiB file.chunk messages, reading one slice at a time and
 * waiting for the end-to-end window between them, so neither the file nor the queue of
 * encrypted frames is ever held whole. Returns a failure reason, or null when all was sent.
 */
export async function streamChunks(deps: StreamDeps, file: Blob, transferId: string, entry: Pick<TransferWait, 'aborted'>, onProgress: (bytes: number) => void): Promise<string | null> {
  for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
    if (entry.aborted) return entry.aborted;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    } catch {
      await deps.send({ type: 'file.abort', transferId, reason: 'read_failed' });
      return 'read_failed';
    }
    await deps.send({ type: 'file.chunk', transferId, offset }, bytes);
    onProgress(offset + bytes.length);
    await deps.drain();
  }
  return entry.aborted;
}
