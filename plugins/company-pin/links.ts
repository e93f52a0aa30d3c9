import type { DB } from '../../core/db/open.js';
import type { Vault } from '../../core/secrets/vault.js';
import { newId } from '../../core/support/secrets.js';
import { mac, macMatches, pluginSecret } from './secrets.js';
import type { ChannelLinkRow } from './tables.js';

/** The plugin's id, shared by its secrets and audit entries. */
export const PLUGIN_ID = 'company-pin';

/** A channel link as the admin console shows it (with its signed token and URL). */
export interface ChannelLink {
  id: string;
  name: string;
  groupId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  status: 'active' | 'expired' | 'revoked';
  token: string;
}

/** The HMAC key that signs channel link tokens. */
export const linkKey = (store: { db: DB; vault: Vault }, now: number): Promise<string> => pluginSecret(store, PLUGIN_ID, 'link-key', now);

/** A link's token: its id and an HMAC of it, so a guessed or altered id is refused before any lookup. */
export function linkToken(key: string, id: string): string {
  return `cl1.${id}.${mac(key, `channel-link:${id}`)}`;
}

/** The link id a token names, when its signature holds (revocation and expiry are checked on the row). */
export function verifyLinkToken(key: string, token: string): string | null {
  const [version, id, signature, extra] = token.split('.');
  if (version !== 'cl1' || !id || !signature || extra !== undefined || id.length > 64) return null;
  return macMatches(key, `channel-link:${id}`, signature) ? id : null;
}

/** Row → console view. */
export function toChannelLink(row: ChannelLinkRow, key: string, now: number): ChannelLink {
  const status = row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
  return {
    id: row.id, name: row.name, groupId: row.group_id, createdBy: row.created_by, createdAt: row.created_at,
    expiresAt: row.expires_at, revokedAt: row.revoked_at, status, token: linkToken(key, row.id),
  };
}

/** Every channel link, newest first. */
export function listLinkRows(db: DB): Promise<ChannelLinkRow[]> {
  return db.selectFrom('channel_links').selectAll().orderBy('created_at', 'desc').limit(1000).execute();
}

/** One link by id. */
export async function findLinkRow(db: DB, id: string): Promise<ChannelLinkRow | null> {
  return (await db.selectFrom('channel_links').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Creates a link for a technician group. */
export async function insertLink(db: DB, input: { name: string; groupId: string; createdBy: string; expiresAt: number | null; now: number }): Promise<ChannelLinkRow> {
  const row = { id: newId(), name: input.name, group_id: input.groupId, created_by: input.createdBy, created_at: input.now, expires_at: input.expiresAt, revoked_at: null, revoked_by: null };
  await db.insertInto('channel_links').values(row).execute();
  return row;
}

/** Renames a link or changes its expiry; false when it is unknown or revoked (a revoked link stays revoked). */
export async function updateLink(db: DB, id: string, changes: { name?: string | undefined; expiresAt?: number | null | undefined }): Promise<boolean> {
  const set = { ...(changes.name !== undefined && { name: changes.name }), ...(changes.expiresAt !== undefined && { expires_at: changes.expiresAt }) };
  if (Object.keys(set).length === 0) return (await findLinkRow(db, id))?.revoked_at === null;
  const result = await db.updateTable('channel_links').set(set).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes a link (kept for the record); false when it was unknown or already revoked. */
export async function revokeLink(db: DB, id: string, by: string, now: number): Promise<boolean> {
  const result = await db.updateTable('channel_links').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
