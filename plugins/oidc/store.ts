import type { DB } from '../../core/db/open.js';
import type { Clock } from '../../core/support/clock.js';
import { hashToken, newToken } from '../../core/support/secrets.js';
import type { OidcPendingTable, OidcTransactionsTable } from './tables.js';

/** How long a started login may take at the provider. */
export const TRANSACTION_TTL_MS = 10 * 60_000;
/** How long a login that passed the provider may wait for its second factor. */
export const PENDING_TTL_MS = 5 * 60_000;
/** Codes tried for one pending login before it must start over at the provider. */
export const PENDING_MAX_ATTEMPTS = 5;

/** Keeps a started login (state, nonce, PKCE verifier); returns the browser's cookie token (only its hash is stored). */
export async function saveTransaction(db: DB, clock: Clock, row: Omit<OidcTransactionsTable, 'id_hash' | 'expires_at'>): Promise<string> {
  await db.deleteFrom('oidc_transactions').where('expires_at', '<=', clock.now()).execute();
  const token = newToken();
  await db.insertInto('oidc_transactions').values({ ...row, id_hash: hashToken(token), expires_at: clock.now() + TRANSACTION_TTL_MS }).execute();
  return token;
}

/** Takes a started login out (once: a replayed callback finds nothing); null when unknown or expired. */
export async function takeTransaction(db: DB, clock: Clock, token: string): Promise<OidcTransactionsTable | null> {
  const row = await db.deleteFrom('oidc_transactions').where('id_hash', '=', hashToken(token)).returningAll().executeTakeFirst();
  return row && row.expires_at > clock.now() ? row : null;
}

/** Keeps a login that waits for a challenge; returns its cookie token. */
export async function savePending(db: DB, clock: Clock, row: Omit<OidcPendingTable, 'id_hash' | 'expires_at' | 'attempts'>): Promise<string> {
  await db.deleteFrom('oidc_pending').where('expires_at', '<=', clock.now()).execute();
  const token = newToken();
  await db.insertInto('oidc_pending').values({ ...row, id_hash: hashToken(token), attempts: 0, expires_at: clock.now() + PENDING_TTL_MS }).execute();
  return token;
}

/** Counts one attempt at a pending login; null when it is unknown, expired or out of attempts. */
export async function attemptPending(db: DB, clock: Clock, token: string): Promise<OidcPendingTable | null> {
  const row = await db.selectFrom('oidc_pending').selectAll().where('id_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.expires_at <= clock.now() || row.attempts >= PENDING_MAX_ATTEMPTS) return null;
  await db.updateTable('oidc_pending').set({ attempts: row.attempts + 1 }).where('id_hash', '=', row.id_hash).execute();
  return row;
}

/** Ends a pending login (done, or given up). */
export async function dropPending(db: DB, idHash: string): Promise<void> {
  await db.deleteFrom('oidc_pending').where('id_hash', '=', idHash).execute();
}
