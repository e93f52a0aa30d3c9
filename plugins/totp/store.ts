import { randomUUID } from 'node:crypto';
import type { DB } from '../../core/db/open.js';
import { digestsEqual, hashRecoveryCode, newRecoveryCode } from './crypto.js';

/** How many recovery codes a confirmed enrolment gets. */
export const RECOVERY_CODE_COUNT = 10;

/** An account's enrolment row as the plugin uses it. */
export interface Enrolment {
  userId: string;
  secretSealed: string;
  createdAt: number;
  confirmedAt: number | null;
  lastStep: number | null;
}

/** The enrolment of an account (pending or confirmed), or null. */
export async function findEnrolment(db: DB, userId: string): Promise<Enrolment | null> {
  const row = await db.selectFrom('totp_enrolments').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? { userId: row.user_id, secretSealed: row.secret_sealed, createdAt: Number(row.created_at), confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at), lastStep: row.last_step === null ? null : Number(row.last_step) } : null;
}

/** Starts (or restarts) a pending enrolment with a new sealed secret; a confirmed one is never overwritten. */
export async function savePending(db: DB, userId: string, secretSealed: string, now: number): Promise<boolean> {
  const row = { user_id: userId, secret_sealed: secretSealed, created_at: now, confirmed_at: null, last_step: null };
  const result = await db.insertInto('totp_enrolments').values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_sealed: secretSealed, created_at: now, last_step: null }).where('totp_enrolments.confirmed_at', 'is', null))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * Records that a code of `step` was accepted, only if no code of this step or a later one was
 * accepted meanwhile: the conditional update makes two simultaneous logins with one code race
 * safely (one wins, one is refused as a replay).
 */
export async function claimStep(db: DB, userId: string, step: number, confirmAt: number | null): Promise<boolean> {
  const result = await db.updateTable('totp_enrolments')
    .set(confirmAt === null ? { last_step: step } : { last_step: step, confirmed_at: confirmAt })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes an account's enrolment and recovery codes. */
export async function removeEnrolment(db: DB, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
    await trx.deleteFrom('totp_enrolments').where('user_id', '=', userId).execute();
  });
}

/** Replaces an account's recovery codes with new ones; returns them in clear, the only time they exist so. */
export async function replaceRecoveryCodes(db: DB, userId: string, now: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
    await trx.insertInto('totp_recovery_codes').values(codes.map((code) => ({ id: randomUUID(), user_id: userId, code_hash: hashRecoveryCode(code), created_at: now, used_at: null }))).execute();
  });
  return codes;
}

/** How many unused recovery codes an account has left. */
export async function unusedRecoveryCodes(db: DB, userId: string): Promise<number> {
  const row = await db.selectFrom('totp_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Finds the unused recovery code matching the input (every stored digest is compared in
 * constant time, none skipped) and, unless `dryRun`, marks it used; true when one matched.
 */
export async function useRecoveryCode(db: DB, userId: string, input: string, now: number, dryRun: boolean): Promise<boolean> {
  const wanted = hashRecoveryCode(input);
  const rows = await db.selectFrom('totp_recovery_codes').select(['id', 'code_hash']).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  let match: string | null = null;
  for (const row of rows) if (digestsEqual(row.code_hash, wanted)) match = row.id;
  if (!match) return false;
  if (dryRun) return true;
  const result = await db.updateTable('totp_recovery_codes').set({ used_at: now }).where('id', '=', match).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Wrong codes in a row after which an account's codes are refused for a while. */
export const MAX_FAILURES = 5;
/** How long codes are refused after MAX_FAILURES wrong ones. */
export const BLOCK_MS = 5 * 60_000;

/** Milliseconds until an account may try a code again (0: now). */
export async function blockedForMs(db: DB, userId: string, now: number): Promise<number> {
  const row = await db.selectFrom('totp_enrolments').select('blocked_until').where('user_id', '=', userId).executeTakeFirst();
  return row?.blocked_until ? Math.max(0, Number(row.blocked_until) - now) : 0;
}

/** Counts a wrong code; the MAX_FAILURES-th in a row blocks codes for BLOCK_MS. Returns whether it blocked. */
export async function recordFailure(db: DB, userId: string, now: number): Promise<boolean> {
  const row = await db.updateTable('totp_enrolments').set((eb) => ({ failed_count: eb('failed_count', '+', 1) }))
    .where('user_id', '=', userId).returning('failed_count').executeTakeFirst();
  if (!row || Number(row.failed_count) < MAX_FAILURES) return false;
  await db.updateTable('totp_enrolments').set({ failed_count: 0, blocked_until: now + BLOCK_MS }).where('user_id', '=', userId).execute();
  return true;
}

/** Forgets earlier wrong codes after a right one. */
export async function resetFailures(db: DB, userId: string): Promise<void> {
  await db.updateTable('totp_enrolments').set({ failed_count: 0, blocked_until: null }).where('user_id', '=', userId).execute();
}
