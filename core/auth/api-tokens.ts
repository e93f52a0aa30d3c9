import type { DB } from '../db/open.js';
import type { Clock } from '../support/clock.js';
import { hashToken, newId, newToken } from '../support/secrets.js';

/** The public view of a personal API token: never its secret. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

// A recognisable prefix lets secret scanners find leaked tokens in code and logs.
export const API_TOKEN_PREFIX = 'rbt_';

/** Creates a personal API token; the secret is returned once and only its hash is stored. */
export async function createApiToken(db: DB, clock: Clock, userId: string, name: string, expiresInDays?: number): Promise<{ info: ApiTokenInfo; secret: string }> {
  const secret = newToken(API_TOKEN_PREFIX);
  const now = clock.now();
  const info: ApiTokenInfo = { id: newId(), name, createdAt: now, lastUsedAt: null, expiresAt: expiresInDays ? now + expiresInDays * 86_400_000 : null };
  await db.insertInto('api_tokens').values({
    id: info.id, user_id: userId, name, token_hash: hashToken(secret), created_at: now, last_used_at: null, expires_at: info.expiresAt,
  }).execute();
  return { info, secret };
}

/** Lists an account's tokens. */
export async function listApiTokens(db: DB, userId: string): Promise<ApiTokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at }));
}

/** Revokes one of an account's tokens; false when it has no such token. */
export async function deleteApiToken(db: DB, userId: string, tokenId: string): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Finds the owner of a bearer secret, if the token exists and has not expired. */
export async function resolveApiToken(db: DB, clock: Clock, secret: string): Promise<{ tokenId: string; userId: string } | null> {
  if (!secret.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await db.selectFrom('api_tokens').select(['id', 'user_id', 'expires_at', 'last_used_at'])
    .where('token_hash', '=', hashToken(secret)).executeTakeFirst();
  const now = clock.now();
  if (!row || (row.expires_at !== null && now >= row.expires_at)) return null;
  if (row.last_used_at === null || now - row.last_used_at > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { tokenId: row.id, userId: row.user_id };
}
