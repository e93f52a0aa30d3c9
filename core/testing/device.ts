import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { deviceRequestText, enrolProofText } from '../../protocol/device-auth.js';
import { TestClient, type TestAppliance } from './appliance.js';

/** A device's key pair as the agent makes it: Ed25519, the public half as raw base64url. */
export function deviceKeys(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKey.export({ format: 'jwk' }).x! };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The enrolment body a device sends with a deployment token (proof signed with its key). */
export function enrolmentBody(keys: { privateKey: KeyObject; publicKey: string }, token: string, name = 'pc-0042'): Record<string, unknown> {
  const proof = sign(null, Buffer.from(enrolProofText(keys.publicKey, sha256(token))), keys.privateKey).toString('base64url');
  return { token, publicKey: keys.publicKey, proof, name, os: 'Debian GNU/Linux 12', agentVersion: '0.1.0' };
}

/** A client that signs every request with a device key, with a strictly rising timestamp. */
export function deviceClient(t: TestAppliance, deviceId: string, privateKey: KeyObject, ip = '127.0.0.1'): TestClient {
  const client = new TestClient(t, ip);
  let last = 0;
  client.deviceSigner = (method, path, body) => {
    last = Math.max(t.clock.now(), last + 1);
    const signature = sign(null, Buffer.from(deviceRequestText(method, path, last, sha256(body))), privateKey).toString('base64url');
    return `Device ${deviceId}.${last}.${signature}`;
  };
  return client;
}

/** Creates a group granting unattended_access, a deployment token for it, and enrols one device. */
export async function enrolTestDevice(t: TestAppliance, admin: TestClient, groupId: string): Promise<{ deviceId: string; client: TestClient; keys: ReturnType<typeof deviceKeys> }> {
  const created = await admin.request('POST', '/api/v1/devices/tokens', { label: 'test', groupId, expiresInHours: 1, maxUses: 1 });
  if (created.status !== 201) throw new Error(`token: ${created.status} ${await created.text()}`);
  const { secret } = (await created.json()) as { secret: string };
  const keys = deviceKeys();
  const res = await new TestClient(t).request('POST', '/api/v1/devices/enrol', enrolmentBody(keys, secret));
  if (res.status !== 201) throw new Error(`enrol: ${res.status} ${await res.text()}`);
  const { deviceId } = (await res.json()) as { deviceId: string };
  return { deviceId, client: deviceClient(t, deviceId, keys.privateKey), keys };
}
