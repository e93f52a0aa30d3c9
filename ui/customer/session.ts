import type { Bootstrap } from '../../protocol/customer-api.js';
import { SecureEndpoint } from '../../protocol/endpoint.js';
import { GrantVerifier } from '../../protocol/grants.js';
import type { Capability, Message } from '../../protocol/messages.js';
import { ApiError } from '../api/client.js';
import { RelayConnection, TicketRefused, type GoneReason, type RelayTicket } from '../console/connection.js';
import { joinHandlers, MessageQueue, type HandlerMap } from '../console/handlers.js';
import { endingFrom } from '../console/session.js';
import { Store } from '../console/store.js';
import type { CustomerBroker } from './api.js';
import { describeBrowser } from './browser-info.js';
import { BROWSER_CLIENT_VERSION } from './version.js';
import { CustomerConsent, type CustomerAnswer, type CustomerOffer } from './consent.js';
import { customerOver, initialCustomerState, type CustomerState } from './state.js';

/** Broker statuses that mean "this session is over for you": stop asking for tickets. */
const GONE_STATUSES = new Set([401, 403, 404, 409, 410]);

/** A capability module of the page: the messages it takes, the requests it serves, its clean-up. */
export interface PageCapability {
  handlers?: HandlerMap;
  offers?: { [C in Capability]?: CustomerOffer };
  /** `capability.stop` from the technician, or the customer's own stop. */
  stop?(capability: Capability): void | Promise<void>;
  /** The session is over. */
  dispose?(): void;
}

/** What capability modules may use. */
export interface PageContext {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  drain(): Promise<void>;
  store: Store<CustomerState>;
  broker: CustomerBroker;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The customer's side of a support session in the browser: the same end-to-end endpoint as
 * the agent (protocol/endpoint.ts: CPace over the PIN, X25519, AES-256-GCM, resume), the
 * same relay connection as the console, and capability modules behind the consent desk.
 * Components read `store` and call the methods; nothing here touches the DOM.
 */
export class CustomerSession<M extends Record<string, PageCapability> = Record<string, PageCapability>> {
  readonly store = new Store<CustomerState>({ ...initialCustomerState, phase: 'connecting' });
  private readonly endpoint: SecureEndpoint;
  private readonly connection: RelayConnection;
  private readonly consent: CustomerConsent;
  private readonly queue: MessageQueue;
  private readonly capabilities: PageCapability[];
  /** The page's capability modules by name (the components call the customer's own actions on them). */
  readonly modules: M;
  private firstTicket: string | null;
  private hadKeys = false;

  constructor(private readonly bootstrap: Bootstrap, readonly pin: string, private readonly broker: CustomerBroker, makeModules: (ctx: PageContext) => M) {
    this.store.update((s) => ({ ...s, technician: bootstrap.technician.displayName }));
    this.firstTicket = bootstrap.ticket;
    this.endpoint = new SecureEndpoint('customer', bootstrap.sessionId, pin);
    const send = (message: Message, payload?: Uint8Array) => this.endpoint.send(message, payload);
    this.modules = makeModules({ send, drain: () => this.endpoint.drain(), store: this.store, broker });
    this.capabilities = Object.values(this.modules);
    const offers = new Map<Capability, CustomerOffer>();
    for (const module of this.capabilities) for (const [capability, offer] of Object.entries(module.offers ?? {})) offers.set(capability as Capability, offer);
    this.consent = new CustomerConsent({
      verifier: new GrantVerifier(bootstrap.grantKey, bootstrap.sessionId, () => broker.now()),
      send, report: (event) => broker.report(event), store: this.store, offers,
    });
    const table = joinHandlers({
      chat: { chat: (message) => this.addChat({ id: message.id, from: 'technician', text: message.text, at: Date.now() }) },
      session: {
        'consent.request': (request) => this.consent.handle(request),
        'session.end': () => this.finish({ by: 'technician', reason: 'session.end' }),
        'capability.stop': (message) => this.stopCapability(message.capability, 'technician'),
      },
      ...Object.fromEntries(Object.entries(this.modules).map(([name, module]) => [name, module.handlers ?? {}])),
    });
    this.queue = new MessageQueue(table, (error) => this.store.update((s) => ({ ...s, error: error.message })));
    this.connection = new RelayConnection({
      endpoint: { attach: (t, ticket) => this.endpoint.attach(t, ticket), detach: () => this.endpoint.detach(), handleText: (text) => this.endpoint.handleText(text), handleBinary: (frame) => this.endpoint.handleBinary(frame) },
      ticket: () => this.ticket(),
      events: {
        onPaired: () => this.setPhase(this.hadKeys ? 'connected' : 'verifying'),
        onReconnecting: () => this.setPhase('reconnecting'),
        onGone: (reason, detail) => this.gone(reason, detail),
      },
    });
    this.endpoint
      .on('waiting', () => this.setPhase('waiting'))
      .on('ready', ({ sas, rekeyed }) => {
        this.hadKeys = true;
        this.store.update((s) => (customerOver(s) ? s : { ...s, phase: 'connected', sas, rekeyed }));
        // End to end (not the broker's word): the console learns a page takes no remote input.
        void this.endpoint.send({ type: 'client.info', client: 'browser', remoteInput: false }).catch(() => undefined);
      })
      .on('peerLeft', () => this.setPhase('peer-left'))
      .on('message', (message, payload) => this.queue.push(message, payload))
      .on('ended', (reason) => this.finish(endingFrom(reason)))
      .on('alert', (error) => this.onAlert(error.code, error.message));
  }

  /** Connects to the relay, says hello to the broker (browser-reported facts only). */
  start(): void {
    this.broker.report({ event: 'hello', hostname: '', os: describeBrowser(), agentVersion: BROWSER_CLIENT_VERSION, client: 'browser' });
    this.connection.start();
  }

  /** Sends the customer's chat text (in pieces if long); logged at once, delivered in order. */
  async chat(text: string): Promise<void> {
    const trimmed = text.trim();
    const sends: Promise<void>[] = [];
    for (let start = 0; start < trimmed.length; start += 4000) {
      const message = { type: 'chat' as const, id: crypto.randomUUID(), text: trimmed.slice(start, start + 4000), at: Date.now() };
      this.addChat({ id: message.id, from: 'customer', text: message.text, at: message.at });
      sends.push(this.endpoint.send(message));
    }
    await Promise.all(sends);
  }

  /** The customer's answer to a prompt. */
  answer(requestId: string, answer: CustomerAnswer): void {
    this.consent.answer(requestId, answer);
  }

  /** The customer stops something that runs (screen sharing, a transfer direction). */
  stop(capability: Capability): Promise<void> {
    return this.stopCapability(capability, 'customer');
  }

  /** A join code for the support program, to continue this very session there (same PIN, new keys). */
  handover(): Promise<{ joinCode: string; expiresAt: number }> {
    return this.broker.handover();
  }

  /** The customer ends the session: the technician is told (session.end), then the broker. */
  async end(): Promise<void> {
    if (customerOver(this.store.get())) return;
    if (this.endpoint.isReady) {
      await Promise.race([this.endpoint.send({ type: 'session.end', reason: 'The customer ended the session.' }).catch(() => undefined), delay(2_000)]);
      for (let waited = 0; this.connection.bufferedAmount > 0 && waited < 2_000; waited += 20) await delay(20);
    }
    await this.broker.end('customer ended the session').catch(() => undefined);
    this.finish({ by: 'customer', reason: 'ended by customer' });
  }

  /** The tab is closing: the session ends with it (a keepalive request reaches the broker). */
  leave(): void {
    if (customerOver(this.store.get())) return;
    this.broker.endOnUnload('the customer closed the page');
    this.finish({ by: 'customer', reason: 'page closed' });
  }

  private addChat(line: CustomerState['chat'][number]): void {
    this.store.update((s) => ({ ...s, chat: [...s.chat, line] }));
  }

  private async stopCapability(capability: Capability, by: 'customer' | 'technician'): Promise<void> {
    for (const module of this.capabilities) if (module.offers?.[capability]) await module.stop?.(capability);
    if (by === 'customer') await this.endpoint.send({ type: 'capability.stop', capability }).catch(() => undefined);
    this.broker.report({ event: 'capability.stopped', capability });
  }

  private onAlert(code: string, message: string): void {
    if (customerOver(this.store.get())) return;
    this.store.update((s) => ({ ...s, phase: 'alert', alert: { code, message } }));
    this.stopEverything(4400, code);
    void this.broker.end(`protocol alert: ${code}`).catch(() => undefined);
  }

  private finish(ending: { by: string; reason: string }): void {
    if (customerOver(this.store.get())) return;
    this.store.update((s) => ({ ...s, phase: 'ended', ended: ending, prompts: [] }));
    this.stopEverything(1000, 'ended');
  }

  private stopEverything(code: number, reason: string): void {
    this.connection.stop(code, reason);
    this.consent.dispose();
    for (const module of this.capabilities) module.dispose?.();
    this.endpoint.dispose();
  }

  private gone(reason: GoneReason, detail: string): void {
    // The relay's `ended` text usually arrives just before its close and says who ended it.
    // Replaced: another customer client (the agent, after a handover) took the session over.
    if (reason === 'replaced') return this.finish({ by: 'handover', reason: 'continued in the support program' });
    setTimeout(() => this.finish(reason === 'ended' ? endingFrom(detail || 'ended') : { by: 'other', reason: detail || reason }), 100);
  }

  private setPhase(phase: CustomerState['phase']): void {
    this.store.update((s) => (customerOver(s) ? s : { ...s, phase }));
  }

  private async ticket(): Promise<RelayTicket> {
    const first = this.firstTicket;
    this.firstTicket = null;
    if (first) return { ticket: first, relayPath: this.bootstrap.relay.path };
    try {
      return { ticket: await this.broker.ticket(), relayPath: this.bootstrap.relay.path };
    } catch (error) {
      if (error instanceof ApiError && GONE_STATUSES.has(error.status)) throw new TicketRefused(error.message);
      throw error;
    }
  }
}
