import type { DB } from '../db/open.js';
import { hashToken, newId, newToken } from '../support/secrets.js';
import type { DeploymentTokenRow } from './tables.js';

/** A deployment token as the API shows it (never its secret or hash). */
export interface DeploymentTokenView {
  id: string;
  label: string;
  groupId: string;
  expiresAt: number;
  maxUses: number;
  uses: number;
  accessDays: number | null;
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
  /** usable | expired | used_up | revoked */
  state: string;
}

/** What an admin sets when creating a token. */
export interface NewDeploymentToken {
  label: string;
  groupId: string;
  expiresAt: number;
  maxUses: number;
  accessDays: number | null;
  createdBy: string;
}

/** Prefix of deployment token secrets (recognisable in logs and secret scanners). */
export const DEPLOYMENT_TOKEN_PREFIX = 'rbd_';

/** Row → API view, with its state at `now`. */
export function toTokenView(row: DeploymentTokenRow, now: number): DeploymentTokenView {
  const state = row.revoked_at !== null ? 'revoked' : row.expires_at <= now ? 'expired' : row.uses >= row.max_uses ? 'used_up' : 'usable';
  return {
    id: row.id, label: row.label, groupId: row.group_id, expiresAt: row.expires_at, maxUses: row.max_uses, uses: row.uses,
    accessDays: row.access_days, createdBy: row.created_by, createdAt: row.created_at, revokedAt: row.revoked_at, state,
  };
}

/** Creates a token; the secret is returned once and only its SHA-256 is stored. */
export async function createDeploymentToken(db: DB, now: number, input: NewDeploymentToken): Promise<{ token: DeploymentTokenView; secret: string }> {
  const secret = newToken(DEPLOYMENT_TOKEN_PREFIX);
  const id = newId();
  await db.insertInto('deployment_tokens').values({
    id, token_hash: hashToken(secret), label: input.label, group_id: input.groupId, expires_at: input.expiresAt, max_uses: input.maxUses,
    access_days: input.accessDays, created_by: input.createdBy, created_at: now, revoked_at: null,
  }).execute();
  const row = await db.selectFrom('deployment_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { token: toTokenView(row, now), secret };
}

/** All tokens, newest first. */
export async function listDeploymentTokens(db: DB, now: number): Promise<DeploymentTokenView[]> {
  const rows = await db.selectFrom('deployment_tokens').selectAll().orderBy('created_at', 'desc').limit(1000).execute();
  return rows.map((row) => toTokenView(row, now));
}

/** Revokes a token (no further enrolments); false when there is no such token or it was revoked already. */
export async function revokeDeploymentToken(db: DB, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('deployment_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Why a token could not be used (audited; the caller only learns "refused"). */
export type TokenRefusal = 'unknown' | 'revoked' | 'expired' | 'used_up';

/**
 * Spends one use of a token, atomically: the use count rises only while the token is unrevoked,
 * unexpired and below its maximum, so concurrent enrolments cannot exceed it.
 */
export async function consumeDeploymentToken(db: DB, secret: string, now: number): Promise<{ ok: true; token: DeploymentTokenRow } | { ok: false; reason: TokenRefusal; tokenId: string | null }> {
  const row = secret.startsWith(DEPLOYMENT_TOKEN_PREFIX)
    ? await db.selectFrom('deployment_tokens').selectAll().where('token_hash', '=', hashToken(secret)).executeTakeFirst()
    : undefined;
  if (!row) return { ok: false, reason: 'unknown', tokenId: null };
  const result = await db.updateTable('deployment_tokens').set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', row.id).where('revoked_at', 'is', null).where('expires_at', '>', now).whereRef('uses', '<', 'max_uses').executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { ok: true, token: row };
  const view = toTokenView(row, now);
  return { ok: false, reason: view.state === 'usable' ? 'used_up' : (view.state as TokenRefusal), tokenId: row.id };
}
