import type { Services } from '../../core/http/env.js';
import { generatePin, pinDigest } from '../../core/sessions/pin.js';
import { PolicyDenied } from '../../core/sessions/service.js';
import { newId } from '../../core/support/secrets.js';
import { findLinkRow, linkKey, PLUGIN_ID, verifyLinkToken } from './links.js';
import { pluginSecret, seal, unseal } from './secrets.js';

/** Why a channel start was refused; one stable code per reason (the audit keeps it, the customer sees one answer). */
export type ChannelRefusal = 'invalid_link' | 'link_revoked' | 'link_expired';

/** A refused channel start. */
export class ChannelRefused extends Error {
  constructor(readonly code: ChannelRefusal) {
    super('This support link is not valid (any more). Ask your support team for a new one.');
  }
}

const sealKey = (services: Services) => pluginSecret(services, PLUGIN_ID, 'seal-key', services.clock.now());

/**
 * Starts support from a channel link, without a PIN: checks the link (signature, revocation,
 * expiry), asks the pinRedeem policy (IP rules apply to links as to PINs), and opens a session
 * that waits in the link group's queue with the customer already in. Its session code (the
 * handshake password) goes to the customer's agent and, sealed, waits for the technician who
 * picks the session up.
 */
export async function startChannelSession(services: Services, token: string, ip: string, presented: { origin: string | null; formToken: string | null; companyId: string | null }): Promise<{ sessionId: string; code: string }> {
  const { db, clock, config, audit, pipeline } = services;
  const now = clock.now();
  const refuse = async (code: ChannelRefusal, linkId: string | null): Promise<never> => {
    await audit.record({ action: 'channel.start', outcome: 'denied', ip, targetType: 'channel_link', targetId: linkId, details: { reason: code, origin: presented.origin } });
    throw new ChannelRefused(code);
  };
  const linkId = verifyLinkToken(await linkKey(services, now), token);
  const link = linkId ? await findLinkRow(db, linkId) : null;
  if (!link) return refuse('invalid_link', linkId);
  if (link.revoked_at !== null) return refuse('link_revoked', link.id);
  if (link.expires_at !== null && link.expires_at <= now) return refuse('link_expired', link.id);
  const channel = `link:${link.id}`;
  const decision = await pipeline.decide('pinRedeem', {
    ip, at: now, actor: null, sessionId: null, channel, facts: {}, pin: '', technician: null, pinChannel: channel, ...presented,
  }, { type: 'channel_link', id: link.id });
  if (decision.outcome !== 'allow') throw new PolicyDenied(decision);
  const id = newId();
  const code = generatePin(config.pinLength);
  const sealed = seal(await sealKey(services), code); // outside the transaction: SQLite has one connection
  await db.transaction().execute(async (trx) => {
    // technician_id must name an account: the link's creator stands in; queue_group_id keeps it
    // out of everyone's own list and routes until a group member picks it up (which replaces it).
    await trx.insertInto('support_sessions').values({
      id, technician_id: link.created_by, pin_digest: pinDigest(services.pinKey, code), status: 'active', channel, created_at: now,
      pin_expires_at: now + config.pinTtlMinutes * 60_000, redeemed_at: now, redeemed_ip: ip, agent_token_hash: null, customer_info: '{}',
      ended_at: null, ended_by: null, end_reason: null, pin_channel: channel, queue_group_id: link.group_id,
    }).execute();
    await trx.insertInto('channel_sessions').values({ session_id: id, link_id: link.id, group_id: link.group_id, code_sealed: sealed, claimed_by: null, claimed_at: null }).execute();
  });
  await audit.record({ action: 'channel.start', outcome: 'success', ip, targetType: 'support_session', targetId: id, details: { linkId: link.id, groupId: link.group_id, origin: presented.origin } });
  return { sessionId: id, code };
}

/** A session waiting in a group's queue, as technicians see it. */
export interface QueuedSession {
  id: string;
  groupId: string;
  groupName: string;
  linkName: string;
  createdAt: number;
  redeemedIp: string | null;
  agentConnected: boolean;
  customer: Record<string, unknown>;
}

/** A queued session whose agent has not joined by now never will: its join code has run out. */
const STALE_WITHOUT_AGENT_MS = 10 * 60_000;

/** Open sessions in the queues of these groups (every queue when groups is null). */
export async function listQueue(services: Services, groups: string[] | null): Promise<QueuedSession[]> {
  if (groups && groups.length === 0) return [];
  const staleBefore = services.clock.now() - STALE_WITHOUT_AGENT_MS;
  let query = services.db.selectFrom('support_sessions as s')
    .innerJoin('channel_sessions as q', 'q.session_id', 's.id')
    .innerJoin('channel_links as l', 'l.id', 'q.link_id')
    .innerJoin('technician_groups as g', 'g.id', 'q.group_id')
    .select(['s.id', 's.created_at', 's.redeemed_ip', 's.agent_token_hash', 's.customer_info', 'q.group_id', 'g.name as group_name', 'l.name as link_name'])
    .where('s.status', '=', 'active').where('s.queue_group_id', 'is not', null)
    .where((eb) => eb.or([eb('s.agent_token_hash', 'is not', null), eb('s.created_at', '>', staleBefore)]))
    .orderBy('s.created_at', 'asc').limit(500);
  if (groups) query = query.where('s.queue_group_id', 'in', groups);
  return (await query.execute()).map((r) => ({
    id: r.id, groupId: r.group_id, groupName: r.group_name, linkName: r.link_name, createdAt: r.created_at, redeemedIp: r.redeemed_ip,
    agentConnected: r.agent_token_hash !== null, customer: JSON.parse(r.customer_info) as Record<string, unknown>,
  }));
}

/**
 * A technician picks a queued session up, once: the session becomes theirs and they get its
 * session code (the handshake password), which is then wiped from the server. Null when the
 * session is not in one of `groups`' queues (or someone was faster).
 */
export async function claimQueued(services: Services, sessionId: string, technicianId: string, groups: string[] | null): Promise<{ sessionId: string; pin: string } | null> {
  const { db, clock } = services;
  const queued = await db.selectFrom('support_sessions').select(['queue_group_id']).where('id', '=', sessionId).where('status', '=', 'active').executeTakeFirst();
  const group = queued?.queue_group_id;
  if (!group || (groups && !groups.includes(group))) return null;
  const sealed = await db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('support_sessions').set({ technician_id: technicianId, queue_group_id: null })
      .where('id', '=', sessionId).where('queue_group_id', '=', group).where('status', '=', 'active').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return null;
    const row = await trx.selectFrom('channel_sessions').select('code_sealed').where('session_id', '=', sessionId).executeTakeFirst();
    await trx.updateTable('channel_sessions').set({ code_sealed: null, claimed_by: technicianId, claimed_at: clock.now() }).where('session_id', '=', sessionId).execute();
    return row?.code_sealed ?? null;
  });
  const pin = sealed ? unseal(await sealKey(services), sealed) : null;
  return pin ? { sessionId, pin } : null;
}
