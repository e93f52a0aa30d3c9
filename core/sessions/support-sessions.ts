import type { DB } from '../db/open.js';
import type { SupportSessionRow } from '../db/schema.js';

/** A support session as the API shows it (never the PIN or token digests). */
export interface SupportSession {
  id: string;
  technicianId: string;
  status: 'waiting' | 'active' | 'ended' | 'expired';
  channel: string | null;
  createdAt: number;
  expiresAt: number;
  redeemedAt: number | null;
  redeemedIp: string | null;
  agentConnected: boolean;
  customer: Record<string, unknown>;
  endedAt: number | null;
  endedBy: string | null;
  endReason: string | null;
}

/** Row → API view; a waiting session whose PIN ran out shows as expired. */
export function toSupportSession(row: SupportSessionRow, now: number): SupportSession {
  const status = row.status === 'waiting' && row.pin_expires_at <= now ? 'expired' : (row.status as SupportSession['status']);
  return {
    id: row.id, technicianId: row.technician_id, status, channel: row.channel, createdAt: row.created_at, expiresAt: row.pin_expires_at,
    redeemedAt: row.redeemed_at, redeemedIp: row.redeemed_ip, agentConnected: row.agent_token_hash !== null,
    customer: JSON.parse(row.customer_info) as Record<string, unknown>, endedAt: row.ended_at, endedBy: row.ended_by, endReason: row.end_reason,
  };
}

/** One session row by id. */
export async function findSessionRow(db: DB, id: string): Promise<SupportSessionRow | null> {
  return (await db.selectFrom('support_sessions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The waiting session whose PIN has this digest and has not expired, if any. */
export async function findWaitingByPin(db: DB, digest: string, now: number): Promise<SupportSessionRow | null> {
  return (await db.selectFrom('support_sessions').selectAll().where('pin_digest', '=', digest).where('status', '=', 'waiting')
    .where('pin_expires_at', '>', now).executeTakeFirst()) ?? null;
}

/** How many PINs can be redeemed right now (the targets a guesser aims at). */
export async function countLivePins(db: DB, now: number): Promise<number> {
  const row = await db.selectFrom('support_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'waiting').where('pin_expires_at', '>', now).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The live session an agent token belongs to. */
export async function findActiveByAgentToken(db: DB, tokenHash: string): Promise<SupportSessionRow | null> {
  return (await db.selectFrom('support_sessions').selectAll().where('agent_token_hash', '=', tokenHash).where('status', '=', 'active').executeTakeFirst()) ?? null;
}

/** Sessions not ended, newest first; for one technician, or all when technicianId is null. */
export async function listOpenSessions(db: DB, technicianId: string | null, now: number): Promise<SupportSession[]> {
  // Sessions still in a group's queue are listed by the company-pin plugin's queue until picked up.
  let query = db.selectFrom('support_sessions').selectAll().where('status', 'in', ['waiting', 'active']).where('queue_group_id', 'is', null).orderBy('created_at', 'desc').limit(500);
  if (technicianId) query = query.where('technician_id', '=', technicianId);
  return (await query.execute()).map((row) => toSupportSession(row, now)).filter((s) => s.status !== 'expired');
}
