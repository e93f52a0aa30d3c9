import type { GrantVerifier } from '../protocol/grants.js';
import type { Capability, Message } from '../protocol/messages.js';
import type { ConsentOffer } from './capabilities/types.js';
import type { EventSink } from './net/broker.js';
import type { AgentUi } from './ui/types.js';

// The grant check is shared with the browser client (protocol/grants.ts).
export { GrantVerifier, type GrantCheck, type GrantRefusal } from '../protocol/grants.js';

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
    if (typeof precheck === 'string') return this.refuse(request, precheck);
    if (precheck) return this.refuse(request, precheck.reason, precheck.why);
    const answer = await ui.ask({ id: request.requestId, capability: request.capability, kind: offer.kind, detail: request.detail ?? {} }, offer.check);
    await this.respond(request, answer.granted);
    ui.notify({ event: 'answered', id: request.requestId, capability: request.capability, granted: answer.granted });
    if (answer.granted) await offer.granted(request, answer);
  }

  /** Refused without asking: the customer is told why, the technician gets a plain no. */
  private async refuse(request: Message<'consent.request'>, reason: string, why?: string): Promise<void> {
    this.deps.ui.notify({ event: 'refused', id: request.requestId, capability: request.capability, reason, ...(why && { why }) });
    await this.respond(request, false);
  }

  private async respond(request: Message<'consent.request'>, granted: boolean): Promise<void> {
    this.deps.events.report({ event: 'consent', capability: request.capability, granted, requestId: request.requestId });
    await this.deps.send({ type: 'consent.response', requestId: request.requestId, granted });
  }
}
