/** The agent's exit codes, in one place (scripts and the PIN page's instructions rely on them). */
export const ExitCode = {
  /** The session ended normally (by either side, or the server). */
  ended: 0,
  /** Anything unexpected. */
  error: 1,
  /** Bad command line. */
  usage: 2,
  /** The broker refused the PIN or join code. */
  refused: 3,
  /** The appliance or its relay could not be reached (or its certificate did not match). */
  cannotConnect: 4,
  /** A protocol violation: someone tampered with the connection. */
  alert: 5,
  /** The program file itself does not match its appliance signature (changed after download). */
  tampered: 6,
  /** Unattended service: this device's access was revoked or expired; it removed its key (systemd must not restart it). */
  deviceGone: 7,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
