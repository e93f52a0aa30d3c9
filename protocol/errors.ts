/** Why a peer's bytes were refused. Any of these ends the secure session with a visible alert. */
export type ProtocolErrorCode =
  | 'frame_too_large'
  | 'frame_malformed'
  | 'unexpected_frame'
  | 'bad_handshake'
  | 'pin_mismatch'
  | 'replayed_or_reordered'
  | 'tampered'
  | 'decompression_limit'
  | 'message_invalid';

/** A protocol violation by the peer (or by someone in between). */
export class ProtocolError extends Error {
  constructor(readonly code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
