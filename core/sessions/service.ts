import { getUser, permissionsOf } from '../accounts/users.js';
import type { Role } from '../auth/roles.js';
import type { Services } from '../http/env.js';
import type { AccountFacts, Decision } from '../policy/types.js';
import { hashToken, newId, newToken } from '../support/secrets.js';
import { generatePin, isPinShaped, pinDigest } from './pin.js';
import { findSessionRow, findWaitingByPin, toSupportSession, type SupportSession } from './support-sessions.js';

/** Who acts on a session from the broker's side. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  ip: string;
}

async function accountFacts(services: Services, actor: Actor): Promise<AccountFacts> {
  const user = await getUser(services.db, actor.userId);
  return { id: actor.userId, email: actor.email, role: actor.role, groups: user?.groups ?? [] };
}

/** A policy refusal, carried to the route which answers 403. */
export class PolicyDenied extends Error {
  constructor(readonly decision: Decision) {
    super(decision.reason ?? 'Refused by policy.');
  }
}

const MAX_PIN_ATTEMPTS = 20;

/**
 * Opens a support session for a technician and issues its PIN: asks the pinIssue policy,
 * draws a PIN not used by any live session, stores only its HMAC, audits the creation.
 */
export async function createSupportSession(services: Services, actor: Actor, channel: string | null, pinChannel: PinChannel | null = null): Promise<{ session: SupportSession; pin: string }> {
  const { db, clock, config, pipeline, audit } = services;
  const technician = await accountFacts(services, actor);
  const now = clock.now();
  const decision = await pipeline.decide('pinIssue', { ip: actor.ip, at: now, actor: technician, sessionId: null, channel, facts: {}, technician }, { type: 'user', id: actor.userId });
  if (decision.outcome !== 'allow') throw new PolicyDenied(decision);
  for (let attempt = 0; attempt < MAX_PIN_ATTEMPTS; attempt += 1) {
    const pin = generatePin(config.pinLength);
    const digest = pinDigest(services.pinKey, pin);
    if (await findWaitingByPin(db, digest, now)) continue; // unique while live
    const id = newId();
    await db.insertInto('support_sessions').values({
      id, technician_id: actor.userId, pin_digest: digest, status: 'waiting', channel, created_at: now, pin_expires_at: now + config.pinTtlMinutes * 60_000,
      redeemed_at: null, redeemed_ip: null, agent_token_hash: null, customer_info: '{}', ended_at: null, ended_by: null, end_reason: null, pin_channel: pinChannel,
    }).execute();
    await audit.record({ action: 'session.create', outcome: 'success', actorId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'support_session', targetId: id, details: { channel, pinChannel } });
    return { session: toSupportSession((await findSessionRow(db, id))!, now), pin };
  }
  throw new Error('Could not draw a free PIN; raise PIN_LENGTH.');
}

/** Channels a PIN can be locked to when it is issued (the company-pin plugin enforces the lock). */
export const pinChannels = ['pin-page', 'web-form', 'agent'] as const;
export type PinChannel = (typeof pinChannels)[number];

/** What the customer's side presented with a PIN besides the PIN: where it was typed and proofs of that. */
export interface RedeemFacts {
  /** Origin (or Referer origin) of the page the PIN was typed into. */
  origin?: string | null;
  /** Signed form token of an externally hosted PIN form. */
  formToken?: string | null;
  /** Company id the PIN page or form presented. */
  companyId?: string | null;
}

/** The outcome of redeeming a PIN: the session and the agent's credential (shown once). */
export interface Redemption {
  session: SupportSession;
  agentToken: string;
}

/**
 * Redeems a PIN, once. Wrong, expired and used PINs all give null, so the answer reveals
 * nothing; every failure is audited. The pinRedeem policy decides before anything changes.
 */
export async function redeemPin(services: Services, pin: string, ip: string, channel: string | null, options: { issueAgentToken: boolean } = { issueAgentToken: true }, presented: RedeemFacts = {}): Promise<Redemption | null> {
  const { db, clock, pipeline, audit, config } = services;
  const now = clock.now();
  const row = isPinShaped(pin, config.pinLength) ? await findWaitingByPin(db, pinDigest(services.pinKey, pin), now) : null;
  if (!row) {
    await audit.record({ action: 'pin.redeem', outcome: 'failure', ip, details: { reason: 'unknown_expired_or_used', channel, origin: presented.origin ?? null } });
    return null;
  }
  const technicianRow = await getUser(db, row.technician_id);
  const technician = technicianRow ? { id: technicianRow.id, email: technicianRow.email, role: technicianRow.role, groups: technicianRow.groups } : null;
  const decision = await pipeline.decide('pinRedeem', { ip, at: now, actor: null, sessionId: row.id, channel, facts: {}, pin: '******', technician, pinChannel: row.pin_channel ?? null, origin: presented.origin ?? null, formToken: presented.formToken ?? null, companyId: presented.companyId ?? null }, { type: 'support_session', id: row.id });
  if (decision.outcome !== 'allow') throw new PolicyDenied(decision);
  const agentToken = newToken('rba_');
  // The status check in the update makes redemption single-use even under concurrent requests.
  const result = await db.updateTable('support_sessions').set({
    status: 'active', redeemed_at: now, redeemed_ip: ip, agent_token_hash: options.issueAgentToken ? hashToken(agentToken) : null, channel: channel ?? row.channel,
  })
    .where('id', '=', row.id).where('status', '=', 'waiting').executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  await audit.record({ action: 'pin.redeem', outcome: 'success', ip, targetType: 'support_session', targetId: row.id, details: { channel, pinChannel: row.pin_channel ?? null, origin: presented.origin ?? null, technicianId: row.technician_id } });
  return { session: toSupportSession((await findSessionRow(db, row.id))!, now), agentToken: options.issueAgentToken ? agentToken : '' };
}

/**
 * Exchanges a PIN page's join code for the agent's credential, once: only a session that was
 * redeemed on the PIN page and has no agent yet can be joined.
 */
export async function joinWithCode(services: Services, sessionId: string, ip: string): Promise<Redemption | null> {
  const { db, clock, audit } = services;
  const agentToken = newToken('rba_');
  const result = await db.updateTable('support_sessions').set({ agent_token_hash: hashToken(agentToken) })
    .where('id', '=', sessionId).where('status', '=', 'active').where('agent_token_hash', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    await audit.record({ action: 'agent.join', outcome: 'failure', ip, targetType: 'support_session', targetId: sessionId, details: { reason: 'join_code_used_or_session_closed' } });
    return null;
  }
  await audit.record({ action: 'agent.join', outcome: 'success', ip, targetType: 'support_session', targetId: sessionId });
  return { session: toSupportSession((await findSessionRow(db, sessionId))!, clock.now()), agentToken };
}

/**
 * Hands a live session from one customer client to another (the browser page to the agent):
 * the new client gets a fresh agent token, and the old one's stops working at once. `previous`
 * is the token hash the handover code was issued for, so the code is single use (the hash
 * changes) and cannot take over a session that another client already took.
 */
export async function handoverWithCode(services: Services, sessionId: string, previous: string, ip: string): Promise<Redemption | null> {
  const { db, clock, audit } = services;
  const agentToken = newToken('rba_');
  const result = await db.updateTable('support_sessions').set({ agent_token_hash: hashToken(agentToken) })
    .where('id', '=', sessionId).where('status', '=', 'active').where('agent_token_hash', '=', previous).executeTakeFirst();
  const ok = Number(result.numUpdatedRows) === 1;
  await audit.record({ action: 'agent.handover', outcome: ok ? 'success' : 'failure', ip, targetType: 'support_session', targetId: sessionId, details: ok ? { from: 'browser', to: 'agent' } : { reason: 'handover_code_used_or_session_closed' } });
  return ok ? { session: toSupportSession((await findSessionRow(db, sessionId))!, clock.now()), agentToken } : null;
}

/** Whether an account's technician groups grant a permission. */
export async function hasPermission(services: Services, userId: string, permission: string): Promise<boolean> {
  return (await permissionsOf(services.db, userId)).includes(permission);
}

