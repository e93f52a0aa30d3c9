import { createHmac, randomInt } from 'node:crypto';

/** A PIN of `length` digits from the OS's CSPRNG, uniform (no modulo bias: randomInt rejects). */
export function generatePin(length: number): string {
  let pin = '';
  for (let i = 0; i < length; i += 1) pin += String(randomInt(10));
  return pin;
}

/** What the database keeps of a PIN: an HMAC under the appliance's key, never the PIN itself. */
export function pinDigest(key: Buffer, pin: string): string {
  return createHmac('sha256', key).update(`pin:${pin}`).digest('hex');
}

/** Whether a string looks like a PIN at all (cheap check before any lookup). */
export const isPinShaped = (value: string, length: number): boolean => value.length === length && /^\d+$/.test(value);
