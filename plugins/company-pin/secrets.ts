import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { DB } from '../../core/db/open.js';
import { pluginSecretContext } from '../../core/secrets/rotate.js';
import type { Vault } from '../../core/secrets/vault.js';
import { constantTimeEqual } from '../../core/support/secrets.js';

/**
 * A plugin's secret (company id, HMAC key), generated once and kept in the database sealed under
 * the master key. Two requests racing on the first use both insert-or-ignore and then read the
 * one that won.
 */
export async function pluginSecret(store: { db: DB; vault: Vault }, pluginId: string, name: string, now: number, make: () => string = () => randomBytes(32).toString('base64url')): Promise<string> {
  const context = pluginSecretContext(pluginId, name);
  const read = () => store.db.selectFrom('plugin_secrets').select('value').where('plugin_id', '=', pluginId).where('name', '=', name).executeTakeFirst();
  const found = await read();
  if (found) return store.vault.openText(found.value, context);
  await store.db.insertInto('plugin_secrets').values({ plugin_id: pluginId, name, value: store.vault.seal(make(), context), created_at: now }).onConflict((oc) => oc.doNothing()).execute();
  return store.vault.openText((await read())!.value, context);
}

/** HMAC-SHA256 of a message under a base64url key, base64url. */
export function mac(key: string, message: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64url')).update(message).digest('base64url');
}

/** Constant-time check of an HMAC. */
export const macMatches = (key: string, message: string, given: string): boolean => constantTimeEqual(mac(key, message), given);

/** Seals a short secret (a session code) with AES-256-GCM under a base64url key. */
export function seal(key: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** Opens what `seal` made; null when it was altered or sealed under another key. */
export function unseal(key: string, sealed: string): string | null {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
