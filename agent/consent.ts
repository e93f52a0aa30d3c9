import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Capability, Message } from '../protocol/messages.js';
import { verifyToken } from '../relay/tickets.js';
import type { ConsentOffer } from './capabilities/types.js';
import type { EventSink } from './net/broker.js';
import type { AgentUi } from './ui/types.js';

/** Why a grant was not accepted (stable keys: shown to the customer, sent nowhere else). */
export type GrantRefusal = 'malformed' | 'bad_signature' | 'not_a_grant' | 'wrong_session' | 'wrong_capability' | 'expired' | 'reused';

/** The outcome of checking a grant. */
export type GrantCheck = { ok: true } | { ok: false; reason: GrantRefusal };

/**
 * Checks the broker's signed permission grants: Ed25519 signature with the bootstrap's grant
 * key, `kind: 'grant'`, this session, the requested capability, not expired (broker time),
 * and a `jti` never seen before. Without all of that the customer is not even asked.
 */
export class GrantVerifier {
  private readonly key: KeyObject;
  /** Used grant ids and their expiry, forgotten once expired (they can no longer pass anyway). */
  private readonly seen = new Map<string, number>();

  constructor(grantKey: string | KeyObject, private readonly sessionId: string, private readonly now: () => number = Date.now) {
    this.key = typeof grantKey === 'string' ? createPublicKey(grantKey) : grantKey;
  }

  check(grant: string, capability: Capability): GrantCheck {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(grant)) return { ok: false, reason: 'malformed' };
    const payload = verifyToken(grant, this.key) as Record<string, unknown> | null;
    if (!payload || typeof payload !== 'object') return { ok: false, reason: 'bad_signature' };
    if (payload.kind !== 'grant' || payload.v !== 1 || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return { ok: false, reason: 'not_a_grant' };
    if (payload.sid !== this.sessionId) return { ok: false, reason: 'wrong_session' };
    if (payload.capability !== capability) return { ok: false, reason: 'wrong_capability' };
    const now = this.now();
    if (payload.exp <= now) return { ok: false, reason: 'expired' };
    this.forgetExpired(now);
    if (this.seen.has(payload.jti)) return { ok: false, reason: 'reused' };
    this.seen.set(payload.jti, payload.exp);
    return { ok: true };
  }

  private forgetExpired(now: number): void {
    for (const [jti, exp] of this.seen) if (exp <= now) this.seen.delete(jti);
  }
}

/** What the consent desk needs. */
export interface ConsentDeps {
  verifier: GrantVerifier;
  ui: AgentUi;
  send(message: Message): Promise<void>;
  events: EventSink;
  /** The capabilities the technician may ask for, and who serves each. */
  offers: Map<Capability, ConsentOffer>;
}

/**
 * Handles `consent.request`: verifies the grant, asks the customer (only local input answers),
 * sends the final `consent.response`, reports the answer to the broker, then lets the
 * capability act. A request id is answered once; a repeat is ignored.
 */
export class ConsentDesk {
  private readonly answered = new Set<string>();

  constructor(private readonly deps: ConsentDeps) {}

  /** Starts handling a request; returns at once (the customer may take a while). */
  handle(request: Message<'consent.request'>): void {
    if (this.answered.has(request.requestId)) return;
    this.answered.add(request.requestId);
    this.decide(request).catch((error: Error) => this.deps.ui.notify({ event: 'error', message: error.message }));
  }

  private async decide(request: Message<'consent.request'>): Promise<void> {
    const { verifier, ui } = this.deps;
    const grant = verifier.check(request.grant, request.capability);
    if (!grant.ok) return this.refuse(request, grant.reason);
    const offer = this.deps.offers.get(request.capability);
    if (!offer) return this.refuse(request, 'unavailable');
    const precheck = offer.precheck?.(request) ?? null;
    if (precheck) return this.refuse(request, precheck);
    const answer = await ui.ask({ id: request.requestId, capability: request.capability, kind: offer.kind, detail: request.detail ?? {} }, offer.check);
    await this.respond(request, answer.granted);
    ui.notify({ event: 'answered', id: request.requestId, capability: request.capability, granted: answer.granted });
    if (answer.granted) await offer.granted(request, answer);
  }

  /** Refused without asking: the customer is told why, the technician gets a plain no. */
  private async refuse(request: Message<'consent.request'>, reason: string): Promise<void> {
    this.deps.ui.notify({ event: 'refused', id: request.requestId, capability: request.capability, reason });
    await this.respond(request, false);
  }

  private async respond(request: Message<'consent.request'>, granted: boolean): Promise<void> {
    this.deps.events.report({ event: 'consent', capability: request.capability, granted, requestId: request.requestId });
    await this.deps.send({ type: 'consent.response', requestId: request.requestId, granted });
  }
}
