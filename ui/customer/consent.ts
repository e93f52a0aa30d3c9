import type { CustomerEvent } from '../../protocol/customer-api.js';
import type { GrantVerifier } from '../../protocol/grants.js';
import type { Capability, Message } from '../../protocol/messages.js';
import type { Store } from '../console/store.js';
import type { CustomerState } from './state.js';

/** The customer's answer to one prompt; a file request is answered with the chosen file. */
export type CustomerAnswer = { granted: false } | { granted: true; file?: File };

/** A request the technician may make, served by one of the page's capability modules. */
export interface CustomerOffer {
  /** A reason to refuse without asking (e.g. the announced file is too large), or null. */
  precheck?(request: Message<'consent.request'>): string | null;
  /** Runs after the customer said yes and the consent.response went out. */
  granted(request: Message<'consent.request'>, answer: Extract<CustomerAnswer, { granted: true }>): Promise<void> | void;
}

/** What the consent desk needs from the session. */
export interface CustomerConsentDeps {
  verifier: GrantVerifier;
  send(message: Message): Promise<void>;
  report(event: CustomerEvent): void;
  store: Store<CustomerState>;
  offers: Map<Capability, CustomerOffer>;
}

/**
 * The page's consent desk, as the agent's (agent/consent.ts): a request is checked (the
 * broker's signed grant, a capability the page can serve, its precheck) and then shown as a
 * prompt that only the customer's click answers; nothing from the network can. The answer goes
 * to the technician and the audit log, and only a yes lets the capability act. A request id is
 * answered once.
 */
export class CustomerConsent {
  private readonly seen = new Set<string>();
  private readonly waiting = new Map<string, (answer: CustomerAnswer) => void>();

  constructor(private readonly deps: CustomerConsentDeps) {}

  /** Starts handling a request; returns at once (the customer may take a while). */
  handle(request: Message<'consent.request'>): void {
    if (this.seen.has(request.requestId)) return;
    this.seen.add(request.requestId);
    this.decide(request).catch((error: Error) => this.deps.store.update((s) => ({ ...s, error: error.message })));
  }

  /** The customer's click on a prompt. */
  answer(requestId: string, answer: CustomerAnswer): void {
    const resolve = this.waiting.get(requestId);
    if (!resolve) return;
    this.waiting.delete(requestId);
    resolve(answer);
  }

  /** The session is over: every open prompt counts as a no. */
  dispose(): void {
    for (const resolve of this.waiting.values()) resolve({ granted: false });
    this.waiting.clear();
  }

  private async decide(request: Message<'consent.request'>): Promise<void> {
    const { store } = this.deps;
    const check = this.deps.verifier.check(request.grant, request.capability);
    if (!check.ok) return this.refuse(request, check.reason);
    const offer = this.deps.offers.get(request.capability);
    if (!offer) return this.refuse(request, 'unavailable');
    const precheck = offer.precheck?.(request) ?? null;
    if (precheck) return this.refuse(request, precheck);
    const answer = await new Promise<CustomerAnswer>((resolve) => {
      this.waiting.set(request.requestId, resolve);
      store.update((s) => ({ ...s, prompts: [...s.prompts, { requestId: request.requestId, capability: request.capability, detail: request.detail ?? {} }] }));
    });
    store.update((s) => ({
      ...s, prompts: s.prompts.filter((p) => p.requestId !== request.requestId),
      outcomes: [...s.outcomes, { requestId: request.requestId, capability: request.capability, granted: answer.granted }],
    }));
    await this.respond(request, answer.granted);
    if (answer.granted) await offer.granted(request, answer);
  }

  /** Refused without asking: the customer sees why, the technician gets a plain no. */
  private async refuse(request: Message<'consent.request'>, reason: string): Promise<void> {
    this.deps.store.update((s) => ({ ...s, outcomes: [...s.outcomes, { requestId: request.requestId, capability: request.capability, granted: false, reason }] }));
    await this.respond(request, false);
  }

  private async respond(request: Message<'consent.request'>, granted: boolean): Promise<void> {
    this.deps.report({ event: 'consent', capability: request.capability, granted, requestId: request.requestId });
    await this.deps.send({ type: 'consent.response', requestId: request.requestId, granted });
  }
}
