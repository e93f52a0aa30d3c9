import { generateSecret, generateURI, verifySync } from 'otplib';
import qrcode from 'qrcode';

/** Seconds per TOTP step (what every authenticator app uses). */
export const PERIOD_SECONDS = 30;

/** A new Base32 secret of 20 random bytes (160 bits, as RFC 4226 recommends). */
export const newSecret = (): string => generateSecret({ length: 20 });

/** The time step an instant falls in. */
export const stepAt = (atMs: number): number => Math.floor(atMs / 1000 / PERIOD_SECONDS);

/** What a code check found: the step it matched, or why it failed. */
export type CodeCheck = { ok: true; step: number } | { ok: false; why: 'malformed' | 'wrong' | 'replayed' };

/**
 * Checks a 6-digit code at an instant, allowing one step of clock drift either way, and refuses
 * any code whose step is not later than the last accepted one (a code works once, and after a
 * code of step n no code of step n or earlier is accepted either).
 */
export function checkCode(secret: string, code: string, atMs: number, lastStep: number | null): CodeCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, why: 'malformed' };
  const epoch = Math.floor(atMs / 1000);
  // ±PERIOD seconds around "now" covers exactly the steps n-1, n and n+1, wherever in the step "now" is.
  const matched = verifySync({ secret, token: code, epoch, epochTolerance: PERIOD_SECONDS });
  // The functional API's result type also covers HOTP; a TOTP match always carries its time step.
  if (!matched.valid || !('timeStep' in matched)) return { ok: false, why: 'wrong' };
  if (lastStep !== null && matched.timeStep <= lastStep) return { ok: false, why: 'replayed' };
  return { ok: true, step: matched.timeStep };
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export const otpauthUri = (issuer: string, account: string, secret: string): string =>
  generateURI({ issuer, label: account, secret, period: PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });

/** A PNG data URL of the QR code of an otpauth:// URI (the UI shows it as an image; the CSP allows data: images). */
export const qrDataUrl = (uri: string): Promise<string> => qrcode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 });
