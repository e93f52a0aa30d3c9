import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What an enrolled device keeps on disk, in its state directory (mode 0700): its Ed25519
 * private key (`device-key.pem`, 0600, never sent anywhere) and `device.json` (0600): its id,
 * the appliance, the pinned broker key and the owner's local settings.
 */

/** The default state directory of the system service. */
export const DEFAULT_STATE_DIR = '/var/lib/rescuebox-agent';

const stateSchema = z.object({
  deviceId: z.string().min(1).max(64),
  server: z.string().url(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  caFile: z.string().nullable(),
  /** The broker's Ed25519 public key (PEM), pinned at enrolment: start requests must carry its signature. */
  brokerKey: z.string().includes('PUBLIC KEY'),
  enrolledAt: z.number(),
  expiresAt: z.number().nullable(),
  /** The PAM service the technician's device credentials are checked against. */
  pamService: z.string().regex(/^[a-z0-9_-]{1,64}$/),
});

/** The device's saved state. */
export type DeviceState = z.output<typeof stateSchema>;

const keyFile = (dir: string) => join(dir, 'device-key.pem');
const stateFile = (dir: string) => join(dir, 'device.json');

/** A fresh device key pair; the public half as raw base64url (what the broker stores). */
export function generateDeviceKey(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKey.export({ format: 'jwk' }).x! };
}

/** Signs text with the device key (base64url signature). */
export function signWithDeviceKey(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text), privateKey).toString('base64url');
}

/** SHA-256 hex of a string. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Writes a file only the owner may read, whatever the umask. */
function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Saves key and state (the directory is created 0700). */
export function saveDevice(dir: string, privateKey: KeyObject, state: DeviceState): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writePrivate(keyFile(dir), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  writePrivate(stateFile(dir), `${JSON.stringify(stateSchema.parse(state), null, 2)}\n`);
}

/** Whether a device is enrolled in this state directory. */
export function isEnrolled(dir: string): boolean {
  return existsSync(keyFile(dir)) && existsSync(stateFile(dir));
}

/** Loads key and state; refuses a key file that others could read. */
export function loadDevice(dir: string): { privateKey: KeyObject; state: DeviceState } {
  if (!isEnrolled(dir)) throw new Error(`No enrolled device in ${dir}.`);
  if ((statSync(keyFile(dir)).mode & 0o077) !== 0) throw new Error(`${keyFile(dir)} is readable by others: refusing to use it.`);
  const privateKey = createPrivateKey(readFileSync(keyFile(dir), 'utf8'));
  return { privateKey, state: stateSchema.parse(JSON.parse(readFileSync(stateFile(dir), 'utf8'))) };
}

/** Deletes the key and the state for good (revoke, expiry): the device is nobody afterwards. */
export function forgetDevice(dir: string): void {
  // Overwrite first: the key should not linger in the file's old blocks longer than needed.
  if (existsSync(keyFile(dir))) writeFileSync(keyFile(dir), '\0'.repeat(statSync(keyFile(dir)).size));
  rmSync(keyFile(dir), { force: true });
  rmSync(stateFile(dir), { force: true });
  rmSync(join(dir, 'active.json'), { force: true });
  rmSync(join(dir, 'service.pid'), { force: true });
}
