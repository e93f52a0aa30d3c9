import { z } from 'zod';

/**
 * Unattended access between an enrolled device and the broker, defined once for both sides:
 * how a device signs its requests with its Ed25519 key (the private key never leaves it), how
 * it proves it holds that key when it enrols, and what the broker's signed start request holds.
 */

/** `Authorization: Device <deviceId>.<timestamp ms>.<base64url signature>`. */
export const DEVICE_AUTH_PATTERN = /^Device\s+([0-9a-f-]{36})\.(\d{13})\.([A-Za-z0-9_-]{86})$/;

/** The text a device signs for one request: method, path, time and the body's SHA-256 (hex). */
export function deviceRequestText(method: string, path: string, timestamp: number, bodySha256: string): string {
  return `RescueBox-device-request-v1\n${method.toUpperCase()}\n${path}\n${timestamp}\n${bodySha256}`;
}

/** The text a device signs when it enrols: binds its public key to what it enrols with. */
export function enrolProofText(publicKey: string, credentialSha256: string): string {
  return `RescueBox-device-enrol-v1\n${publicKey}\n${credentialSha256}`;
}

/** Parses a device Authorization header; null for anything else. */
export function parseDeviceAuthorization(header: string | undefined): { deviceId: string; timestamp: number; signature: string } | null {
  const match = DEVICE_AUTH_PATTERN.exec(header ?? '');
  if (!match) return null;
  return { deviceId: match[1]!, timestamp: Number(match[2]), signature: match[3]! };
}

/** A raw Ed25519 public key as base64url (43 characters, 32 bytes). */
export const devicePublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** The payload of the broker's signed start request, checked by the device with its pinned broker key. */
export const startRequestSchema = z.object({
  v: z.literal(1),
  kind: z.literal('unattended.start'),
  /** The device it is for: a request for another device is refused. */
  did: z.string().min(1).max(64),
  sid: z.string().min(1).max(64),
  /** The end-to-end handshake password of this session (the device never sees a PIN). */
  secret: z.string().min(32).max(128),
  technician: z.object({ email: z.string().max(320), displayName: z.string().max(300) }),
  jti: z.string().min(1).max(64),
  exp: z.number(),
}).strict();

export type StartRequest = z.output<typeof startRequestSchema>;
