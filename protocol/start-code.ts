/**
 * The start code: the PIN page's single-use join code and the session PIN in one string, so a
 * customer who double-clicks the downloaded program (no command line) pastes one thing when it
 * asks. The PIN is the handshake's password and the join code the page already redeemed it for;
 * together they are what `--join <code> --pin <pin>` passes. Shared by the page and the agent.
 */

/** What a start code carries. */
export interface StartCode {
  pin: string;
  joinCode: string;
}

const PIN = /^[A-Za-z0-9]{4,32}$/;
const JOIN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_JOIN = 2048;

/** `<pin>:<joinCode>`; the PIN never holds a colon, the join code is base64url with one dot. */
export function formatStartCode(code: StartCode): string {
  return `${code.pin}:${code.joinCode}`;
}

/**
 * Reads a pasted start code; null when the text is not one (then it may be a bare PIN). Spaces
 * and line breaks a terminal's paste adds are ignored.
 */
export function parseStartCode(text: string): StartCode | null {
  const clean = text.replace(/\s+/g, '');
  const at = clean.indexOf(':');
  if (at < 0) return null;
  const pin = clean.slice(0, at).replace(/-/g, '');
  const joinCode = clean.slice(at + 1);
  if (!PIN.test(pin) || !JOIN.test(joinCode) || joinCode.length > MAX_JOIN) return null;
  return { pin, joinCode };
}
