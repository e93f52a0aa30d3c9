import { ProtocolError } from './errors.js';

/** Version byte in every HELLO; peers with another version refuse to talk. */
export const PROTOCOL_VERSION = 1;

/** The first byte of every binary frame between the two endpoints. */
export const FrameKind = {
  Hello: 0x01,
  Confirm: 0x02,
  Resume: 0x03,
  Ack: 0x04,
  Data: 0x10,
} as const;

/** Largest frame the relay forwards and endpoints accept (1 MiB payload plus header and tag). */
export const MAX_FRAME_BYTES = 1024 * 1024 + 64;

/** Largest plaintext message after decompression (bounds a compression bomb). */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** Checks size and kind before anything else looks at a frame. */
export function frameKind(frame: Uint8Array): number {
  if (frame.length > MAX_FRAME_BYTES) throw new ProtocolError('frame_too_large', `Frame of ${frame.length} bytes exceeds ${MAX_FRAME_BYTES}.`);
  const kind = frame[0];
  if (kind === undefined || !Object.values(FrameKind).includes(kind as never)) throw new ProtocolError('frame_malformed', 'Unknown frame kind.');
  return kind;
}
