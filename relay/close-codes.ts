/**
 * Every close code and reason key the relay sends, in one registry, so endpoints, tests and
 * logs agree. Reasons are stable keys (a UI translates them), never free text.
 */
export const CloseCode = {
  /** The relay is shutting down: reconnect (to another instance). */
  goingAway: 1001,
  /** A frame of the wrong type for the socket's state. */
  policy: 1008,
  /** A frame over MAX_FRAME_BYTES; ws sends this itself through maxPayload. */
  tooBig: 1009,
  /** A handler failed unexpectedly; only that socket is closed. */
  internal: 1011,
  /** The session is over (closed by the broker, idle, or the other side did not come back). */
  ended: 4000,
  /** No valid, unused ticket. */
  unauthorized: 4401,
  /** The same role joined the same session again; this older socket gives way. */
  replaced: 4409,
  /** The relay holds as many sessions as it may. */
  full: 4503,
} as const;

/** Stable reason keys sent as the close reason (and in `ended` messages for relay-made ends). */
export const CloseReason = {
  ticketMissing: 'ticket_missing',
  ticketInvalid: 'ticket_invalid',
  ticketReused: 'ticket_reused',
  sessionEnded: 'session_ended',
  relayFull: 'relay_full',
  textAfterAuth: 'text_after_auth',
  binaryBeforeAuth: 'binary_before_auth',
  replaced: 'replaced',
  ended: 'ended',
  idle: 'idle',
  peerGone: 'peer_gone',
  shutdown: 'shutdown',
  internal: 'internal_error',
} as const;

/** Reasons a join is refused with. */
export type DenyReason = (typeof CloseReason)['ticketMissing' | 'ticketInvalid' | 'ticketReused' | 'sessionEnded' | 'relayFull'];

/** The text messages the relay sends to endpoints (the only text it ever sends). */
export type ControlMessage =
  | { type: 'waiting' }
  | { type: 'paired'; resumed: boolean }
  | { type: 'peer-left' }
  | { type: 'ended'; reason: string };
