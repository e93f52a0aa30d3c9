import type { Context } from 'hono';
import { z } from 'zod';
import { getUser } from '../../../accounts/users.js';
import { adminRoles } from '../../../auth/roles.js';
import { signToken, verifyToken } from '../../../../relay/tickets.js';
import { handoverWithCode, joinWithCode, PolicyDenied, redeemPin, type RedeemFacts, type Redemption } from '../../../sessions/service.js';
import { pinGuessOdds } from '../../../sessions/pin-odds.js';
import { countLivePins } from '../../../sessions/support-sessions.js';
import { issueTicket } from '../../../sessions/tickets.js';
import { newId } from '../../../support/secrets.js';
import type { AppEnv } from '../../env.js';
import { ApiError } from '../../errors.js';
import type { PinBudgetVerdict, PinLane } from '../../middleware/pin-budget.js';
import { defineRoute } from '../../route.js';

/** How long the PIN page's join code stays valid. */
const JOIN_CODE_TTL_MS = 10 * 60_000;
const sameAnswer = 'This PIN is not valid. Check it with your technician.';

/**
 * The one answer an anonymous caller gets for any PIN that does not work: unknown, expired, used,
 * or refused by a policy (wrong channel, another company's page…). A different answer for a
 * refused but valid PIN would tell a guesser that the PIN exists; the reason is in the audit log.
 */
export const invalidPinAnswer = (): ApiError => new ApiError('invalid_request', sameAnswer, { reason: 'invalid_pin' });

/** The one answer for a customer's agent that the agent rules refuse: which rule and why (allowed ranges, domains) stays in the audit log. */
export const agentRefusedAnswer = (): ApiError => new ApiError('policy_denied', 'Your support company\'s rules do not allow a connection from here. Ask your technician.');

/**
 * Counts a PIN guess against the per-IP limit and its lane's budget: the company's known ranges
 * and its hosted form (checked before this is called) have their own, so a flood on the open
 * routes cannot lock their customers out. Audits the first refusal per IP and the first per
 * exhausted lane in each minute (the alarm), and counts every one in the metrics.
 */
export async function limitPinAttempts(c: Context<AppEnv>, lane: 'public' | 'web-form' = 'public'): Promise<void> {
  const services = c.get('services');
  const ip = c.get('clientIp');
  const resolved: PinLane = services.pinTrusted(ip) ? 'trusted-range' : lane;
  await refuseUnlessAllowed(c, services.pinBudgets.attempt(ip, resolved), resolved);
}

/** Counts a request that presents a signed token (join code, channel link) against the per-IP limit only: it guesses no PIN. */
export async function limitTokenAttempts(c: Context<AppEnv>): Promise<void> {
  await refuseUnlessAllowed(c, c.get('services').pinBudgets.tokenAttempt(c.get('clientIp')), null);
}

async function refuseUnlessAllowed(c: Context<AppEnv>, verdict: PinBudgetVerdict, lane: PinLane | null): Promise<void> {
  if (verdict.ok) return;
  const { audit, logger, config } = c.get('services');
  const ip = c.get('clientIp');
  if (verdict.alarm && verdict.scope === 'lane' && lane) {
    logger.warn({ lane }, 'PIN budget exhausted: someone is guessing PINs from many addresses');
    const limitPerMinute = lane === 'public' ? config.pinRateLimitGlobal : lane === 'web-form' ? config.pinRateLimitWebForm : config.pinRateLimitTrusted;
    await audit.record({ action: 'pin.budget_exhausted', outcome: 'denied', ip, details: { lane, limitPerMinute, retryAfterSeconds: verdict.waitSeconds } });
  } else if (verdict.alarm) {
    await audit.record({ action: 'pin.rate_limited', outcome: 'denied', ip, details: { scope: verdict.scope, lane, retryAfterSeconds: verdict.waitSeconds } });
  }
  throw new ApiError('rate_limited', 'Too many PIN attempts. Try again later.', { retryAfterSeconds: verdict.waitSeconds }, { 'Retry-After': String(verdict.waitSeconds) });
}

/**
 * What an agent needs to connect: its credential, a relay ticket, where the relay is, the grant
 * key. Every way an agent gets in (PIN, join code, channel link) asks the agentConnect policy
 * first, as the ticket route does for reconnects, so agent rules cannot be bypassed by the path.
 */
export async function agentBootstrap(c: Context<AppEnv>, redemption: Redemption, refusal: () => ApiError = agentRefusedAnswer): Promise<Record<string, unknown>> {
  const services = c.get('services');
  const session = redemption.session;
  const decision = await services.pipeline.decide('agentConnect', {
    ip: c.get('clientIp'), at: services.clock.now(), actor: null, sessionId: session.id, channel: session.channel, facts: {}, agentVersion: null, hostname: null,
  }, { type: 'support_session', id: session.id });
  if (decision.outcome !== 'allow') throw refusal();
  // A channel link session has no technician yet (its owner is a stand-in until someone picks it up).
  const technician = redemption.session.channel?.startsWith('link:') ? null : await getUser(services.db, redemption.session.technicianId);
  return {
    sessionId: redemption.session.id,
    agentToken: redemption.agentToken,
    ...issueTicket(services, redemption.session.id, 'customer'),
    relay: { path: '/relay', ports: services.config.agentPorts },
    grantKey: services.signing.publicPem,
    technician: { displayName: technician?.displayName || technician?.email || '' },
  };
}

/** The origin of the page a request came from: its Origin header, else its Referer's origin (null when neither names one). */
export function requestOrigin(c: Context<AppEnv>): string | null {
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') return origin;
  try {
    const referer = c.req.header('referer');
    return referer ? new URL(referer).origin : null;
  } catch {
    return null;
  }
}

/** Redeems a PIN for a channel (rate limited) or throws the same neutral answer for every bad or refused PIN. */
export async function redeemOrThrow(c: Context<AppEnv>, pin: string, channel: string, issueAgentToken: boolean, presented: RedeemFacts = {}): Promise<Redemption> {
  // Only the domain-validation plugin redeems on 'web-form', after it checked the origin and the signed form token.
  await limitPinAttempts(c, channel === 'web-form' ? 'web-form' : 'public');
  let redemption: Redemption | null;
  try {
    redemption = await redeemPin(c.get('services'), pin, c.get('clientIp'), channel, { issueAgentToken }, { origin: requestOrigin(c), ...presented });
  } catch (error) {
    if (error instanceof PolicyDenied) throw invalidPinAnswer();
    throw error;
  }
  if (!redemption) throw invalidPinAnswer();
  return redemption;
}

/** A PIN page's join code for a redeemed session: signed, single use, 10 minutes. */
export function issueJoinCode(c: Context<AppEnv>, sessionId: string): { joinCode: string; expiresAt: number } {
  const services = c.get('services');
  const expiresAt = services.clock.now() + JOIN_CODE_TTL_MS;
  const joinCode = signToken({ v: 1, kind: 'join', sid: sessionId, jti: newId(), exp: expiresAt }, services.signing.privateKey);
  return { joinCode, expiresAt };
}

// companyId: the company-pin plugin's id of this appliance's company, presented by the PIN page and agent.
const pinBody = z.object({ pin: z.string().trim().min(1).max(32), companyId: z.string().trim().min(1).max(100).optional() }).strict();

/** The customer's side: redeem a PIN (agent directly, or the PIN page for a join code); the budgets' counters for admins. */
export const pinRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/pin/budgets', tag: 'pin', summary: 'PIN attempt counters per lane since start (attempts, refusals, minutes with an exhausted budget): the brute-force metric.',
    access: { roles: adminRoles }, responses: { 200: '{ perIpLimitPerMinute, lanes, livePins, odds }' },
    handler: async (c) => {
      const { config, db, clock, pinBudgets } = c.get('services');
      const livePins = await countLivePins(db, clock.now());
      // An outsider reaches the open routes and, with a copied form token, the hosted form's lane; not the known ranges.
      const odds = pinGuessOdds({ length: config.pinLength, ttlMinutes: config.pinTtlMinutes, guessesPerMinute: config.pinRateLimitGlobal + config.pinRateLimitWebForm, livePins: Math.max(1, livePins) });
      return c.json({ perIpLimitPerMinute: config.pinRateLimitPerIp, lanes: pinBudgets.snapshot(), livePins, odds });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/pin/redeem', tag: 'pin', summary: 'The agent redeems a PIN (once) and gets its credential and a relay ticket.',
    access: { public: true, reason: 'customers have no account: the single-use PIN is the credential, rate limited per IP and globally' }, body: pinBody,
    responses: { 200: 'Agent bootstrap', 400: 'invalid_pin (same answer for wrong, expired, used and refused by policy)', 429: 'rate_limited' },
    handler: async (c, { body }) => c.json(await agentBootstrap(c, await redeemOrThrow(c, body.pin, 'agent', true, { companyId: body.companyId ?? null }), invalidPinAnswer)),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/pin/join-code', tag: 'pin', summary: 'The PIN page redeems a PIN (once) and gets a short-lived join code for the agent download or command.',
    access: { public: true, reason: 'customers have no account: the single-use PIN is the credential, rate limited per IP and globally' }, body: pinBody,
    responses: { 200: '{ joinCode, expiresAt }', 400: 'invalid_pin (same answer for wrong, expired, used and refused by policy)', 429: 'rate_limited' },
    handler: async (c, { body }) => {
      const redemption = await redeemOrThrow(c, body.pin, 'pin-page', false, { companyId: body.companyId ?? null });
      return c.json(issueJoinCode(c, redemption.session.id));
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/agent/join', tag: 'agent', summary: 'The agent exchanges the PIN page\'s join code (once) for its credential and a relay ticket.',
    access: { public: true, reason: 'the signed, single-use, 10-minute join code is the credential' },
    body: z.object({ joinCode: z.string().min(1).max(2048) }).strict(),
    responses: { 200: 'Agent bootstrap', 400: 'invalid or used join code' },
    handler: async (c, { body }) => {
      const services = c.get('services');
      await limitTokenAttempts(c);
      const payload = verifyToken(body.joinCode, services.signing.publicPem) as { kind?: string; sid?: string; exp?: number; prev?: string } | null;
      const handover = payload?.kind === 'handover' && typeof payload.prev === 'string';
      if (!payload || (payload.kind !== 'join' && !handover) || typeof payload.sid !== 'string' || typeof payload.exp !== 'number' || payload.exp <= services.clock.now()) {
        throw new ApiError('invalid_request', 'This join code is not valid. Enter the PIN on the support page again.', { reason: 'invalid_join_code' });
      }
      const redemption = handover ? await handoverWithCode(services, payload.sid, payload.prev!, c.get('clientIp')) : await joinWithCode(services, payload.sid, c.get('clientIp'));
      if (!redemption) throw new ApiError('invalid_request', 'This join code was already used.', { reason: 'invalid_join_code' });
      return c.json(await agentBootstrap(c, redemption));
    },
  }),
];
