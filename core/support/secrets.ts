import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A new random id for a row. */
export const newId = (): string => randomUUID();

/** An unguessable token for cookies, API tokens and one-time links (256 bits, URL-safe). */
export const newToken = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');

/** What the database keeps of a bearer secret: a leaked table must not grant access. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Compares two secrets in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  // Hashing first gives equal lengths, so timingSafeEqual never throws and length leaks nothing.
  return timingSafeEqual(left, right) && a.length === b.length;
}
