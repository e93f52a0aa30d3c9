import { SecureEndpoint } from '../../protocol/endpoint.js';
import { FrameKind } from '../../protocol/frames.js';
import type { Capability, Message } from '../../protocol/messages.js';
import { ApiError } from '../api/client.js';
import { sessionsApi } from './api.js';
import { chatHandlers, sendChat } from './chat.js';
import { ConsentRequests } from './consent.js';
import { RelayConnection, TicketRefused, type GoneReason, type RelayTicket } from './connection.js';
import { diagnosticsHandlers } from './diagnostics-handlers.js';
import { FileTransfers } from './files.js';
import { joinHandlers, MessageQueue, type HandlerMap } from './handlers.js';
import { forgetPin } from './pins.js';
import { initialState, isOver, type Ending, type SessionState } from './state.js';
import { Store } from './store.js';

/** Broker answers that mean the session is over for this console: stop asking for tickets. */
const GONE_STATUSES = new Set([401, 403, 404, 409]);

/** Who ended the session, from the relay's `ended by <who>` reason. */
export function endingFrom(reason: string): Ending {
  const who = /^ended by (\w+)/.exec(reason)?.[1];
  return { by: who === 'customer' ? 'customer' : who === 'technician' ? 'technician' : 'other', reason };
}

/**
 * One support session in the technician's browser: the end-to-end endpoint, its relay
 * connection, and the modules that speak the protocol (chat, consent, diagnostics, files).
 * Components read `store` and call the methods; nothing here touches the DOM.
 */
export class ConsoleSession {
  readonly store = new Store<SessionState>(initialState);
  private readonly endpoint: SecureEndpoint;
  private readonly connection: RelayConnection;
  private readonly consents: ConsentRequests;
  private readonly files: FileTransfers;
  private readonly queue: MessageQueue;
  /** The message table (plug() adds feature modules' handlers to it). */
  private readonly table: ReturnType<typeof joinHandlers>;
  /** Whether this page ever completed a handshake (see onFrame). */
  private hadKeys = false;

  constructor(readonly sessionId: string, pin: string) {
    this.endpoint = new SecureEndpoint('technician', sessionId, pin);
    const send = (message: Message, payload?: Uint8Array) => this.endpoint.send(message, payload);
    this.consents = new ConsentRequests({ send, store: this.store, grant: (capability) => this.grant(capability) });
    this.files = new FileTransfers({ send, drain: () => this.endpoint.drain(), store: this.store }, this.consents);
    const table = (this.table = joinHandlers({
      chat: chatHandlers(this.store),
      consent: this.consents.handlers,
      diagnostics: diagnosticsHandlers(this.store),
      files: this.files.handlers,
      session: { 'session.end': () => this.finish({ by: 'customer', reason: 'session.end' }) },
    }));
    this.queue = new MessageQueue(table, (error) => this.store.update((s) => ({ ...s, error: error.message })));
    this.connection = new RelayConnection({
      endpoint: {
        attach: (transport, ticket) => this.endpoint.attach(transport, ticket),
        detach: () => this.endpoint.detach(),
        handleText: (text) => this.endpoint.handleText(text),
        handleBinary: (frame) => this.onFrame(frame),
      },
      ticket: () => this.ticket(),
      events: {
        // After a reconnect the endpoint resumes with the keys it has (no new `ready`); an
        // endpoint without keys yet agrees them now.
        onPaired: () => this.setPhase(this.hadKeys ? 'connected' : 'verifying'),
        onReconnecting: () => this.setPhase('reconnecting'),
        onGone: (reason, detail) => this.gone(reason, detail),
      },
    });
    this.wireEndpoint();
  }

  /** Connects to the relay (and keeps reconnecting until the session is over). */
  start(): void {
    this.connection.start();
  }

  /** Sends a chat message to the customer. */
  chat(text: string): Promise<void> {
    return sendChat(this.store, (message) => this.endpoint.send(message), text);
  }

  /** Asks for a diagnostics report (grant, then the customer); the report arrives as a message. */
  requestDiagnostics(): Promise<boolean> {
    return this.consents.ask('diagnostics');
  }

  /** Asks the customer to pick a file and send it. */
  requestFile(): Promise<boolean> {
    return this.consents.ask('file.receive');
  }

  /** Sends a file to the customer, after their consent. */
  sendFile(file: File): Promise<void> {
    return this.files.outgoing.send(file);
  }

  /** Stops a running transfer either way. */
  cancelTransfer(transferId: string): Promise<void> {
    return this.files.cancel(transferId);
  }

  /**
   * Lets a feature module (the screen viewer) take its message types and use the channel and
   * the consent flow; a type that already has an owner is a programming error.
   */
  plug(handlers: HandlerMap): { send: (message: Message, payload?: Uint8Array) => Promise<void>; ask: (capability: Capability) => Promise<boolean> } {
    for (const [type, handler] of Object.entries(handlers) as [Message['type'], NonNullable<HandlerMap[Message['type']]>][]) {
      if (this.table.has(type)) throw new Error(`message ${type} has two owners`);
      this.table.set(type, handler as never);
    }
    return { send: (message, payload) => this.endpoint.send(message, payload), ask: (capability) => this.consents.ask(capability) };
  }

  /** Ends the session: tells the customer (session.end), then the broker, which closes the relay. */
  async end(): Promise<void> {
    if (isOver(this.store.get())) return;
    if (this.endpoint.isReady) {
      await withTimeout(this.endpoint.send({ type: 'session.end', reason: 'The technician ended the session.' }), 2_000);
      for (let waited = 0; this.connection.bufferedAmount > 0 && waited < 2_000; waited += 20) await delay(20);
    }
    await sessionsApi.end(this.sessionId).catch(() => undefined);
    this.finish({ by: 'technician', reason: 'ended by technician' });
  }

  /** The page is left: close the socket; the session itself goes on (the technician may come back). */
  dispose(): void {
    this.connection.stop(1000, 'page closed');
    this.consents.dispose();
    this.files.dispose();
    this.endpoint.dispose();
  }

  /**
   * A page (re)loaded mid-session has no keys, but the customer's endpoint still has the old
   * ones and greets the re-pairing with RESUME (and may ACK): the endpoint would take those
   * as a protocol violation before our HELLO restarts the handshake. They mean nothing
   * without keys, so until this page's first handshake completes they are dropped.
   * (A fix belongs in protocol/endpoint.ts: ignore RESUME/ACK while there is no channel.)
   */
  private onFrame(frame: Uint8Array): void {
    if (!this.hadKeys && (frame[0] === FrameKind.Resume || frame[0] === FrameKind.Ack)) return;
    this.endpoint.handleBinary(frame);
  }

  private wireEndpoint(): void {
    this.endpoint
      .on('waiting', () => this.setPhase('waiting'))
      .on('ready', ({ sas, rekeyed }) => {
        this.hadKeys = true;
        this.store.update((s) => (isOver(s) ? s : { ...s, phase: 'connected', sas, rekeyed }));
      })
      .on('peerLeft', () => this.setPhase('peer-left'))
      .on('message', (message, payload) => this.queue.push(message, payload))
      .on('ended', (reason) => this.finish(endingFrom(reason)))
      .on('alert', (error) => this.onAlert(error.code));
  }

  /** A protocol violation: nothing more goes over this session, here or at the broker. */
  private onAlert(code: string): void {
    if (isOver(this.store.get())) return;
    this.store.update((s) => ({ ...s, phase: 'alert', alert: { code } }));
    this.stopEverything(4400, code);
    void sessionsApi.end(this.sessionId).catch(() => undefined);
  }

  private finish(ending: Ending): void {
    if (isOver(this.store.get())) return;
    this.store.update((s) => ({ ...s, phase: 'ended', ended: ending }));
    this.stopEverything(1000, 'ended');
  }

  private stopEverything(code: number, reason: string): void {
    this.connection.stop(code, reason);
    this.consents.dispose();
    this.files.end();
    this.endpoint.dispose();
    forgetPin(this.sessionId);
  }

  private gone(reason: GoneReason, detail: string): void {
    if (reason === 'replaced') {
      this.store.update((s) => ({ ...s, phase: 'ended', ended: { by: 'other', reason: 'replaced' } }));
      this.endpoint.dispose();
      return;
    }
    // The relay's `ended` text usually arrives just before its close and says who ended it.
    setTimeout(() => this.finish({ by: 'other', reason: detail || reason }), 100);
  }

  private setPhase(phase: SessionState['phase']): void {
    this.store.update((s) => (isOver(s) ? s : { ...s, phase }));
  }

  private async ticket(): Promise<RelayTicket> {
    try {
      return await sessionsApi.join(this.sessionId);
    } catch (error) {
      if (error instanceof ApiError && GONE_STATUSES.has(error.status)) throw new TicketRefused(error.message);
      throw error;
    }
  }

  private async grant(capability: Capability): Promise<string> {
    return (await sessionsApi.grant(this.sessionId, capability)).grant;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([promise.then(() => undefined, () => undefined), delay(ms)]);
}
