import type { DB } from '../db/open.js';
import type { Clock } from '../support/clock.js';
import { hashToken, newId, newToken } from '../support/secrets.js';

/** Idle and absolute lifetime of a login session, in milliseconds. */
export interface SessionLifetime {
  idleMs: number;
  maxMs: number;
}

/** A live login session, found by its cookie token. */
export interface LiveSession {
  id: string;
  userId: string;
}

// Touching last_seen_at on every request would write on every read; a minute is fine-grained enough.
const TOUCH_INTERVAL_MS = 60_000;

/** Starts a login session; returns the opaque cookie token (only its hash is stored). */
export async function createLoginSession(
  db: DB, clock: Clock, lifetime: SessionLifetime, userId: string, meta: { ip: string; userAgent: string },
): Promise<{ id: string; token: string; expiresAt: number }> {
  const token = newToken();
  const now = clock.now();
  const id = newId();
  const expiresAt = now + lifetime.maxMs;
  await db.insertInto('login_sessions').values({
    id, token_hash: hashToken(token), user_id: userId, created_at: now, last_seen_at: now, expires_at: expiresAt,
    ip: meta.ip, user_agent: meta.userAgent.slice(0, 300),
  }).execute();
  return { id, token, expiresAt };
}

/** Looks a cookie token up; ends and forgets sessions past their idle or absolute expiry. */
export async function resolveLoginSession(db: DB, clock: Clock, lifetime: SessionLifetime, token: string): Promise<LiveSession | null> {
  const row = await db.selectFrom('login_sessions').select(['id', 'user_id', 'last_seen_at', 'expires_at'])
    .where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row) return null;
  const now = clock.now();
  if (now >= row.expires_at || now - row.last_seen_at >= lifetime.idleMs) {
    await db.deleteFrom('login_sessions').where('id', '=', row.id).execute();
    return null;
  }
  if (now - row.last_seen_at >= TOUCH_INTERVAL_MS) {
    await db.updateTable('login_sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
  }
  return { id: row.id, userId: row.user_id };
}

/** Ends one session (logout). */
export async function endLoginSession(db: DB, sessionId: string): Promise<void> {
  await db.deleteFrom('login_sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of an account, optionally keeping one (the caller's own after a password change). */
export async function endAllLoginSessions(db: DB, userId: string, keepSessionId?: string): Promise<number> {
  let query = db.deleteFrom('login_sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
