import { SecureChannel } from './channel.js';
import { ProtocolError } from './errors.js';
import { FrameKind, frameKind } from './frames.js';
import { checkConfirm, confirmFrame, finishHandshake, startHandshake, type HandshakeState, type Role, type SessionKeys } from './handshake.js';
import { decodeMessage, encodeMessage, type Message } from './messages.js';

/** What an endpoint needs from its connection to the relay (a WebSocket in both Node and browsers). */
export interface Transport {
  send(data: Uint8Array | string): void;
  close(code?: number, reason?: string): void;
}

/** Everything an endpoint tells its owner (the agent's UI, or the technician's console). */
export interface EndpointEvents {
  /** Waiting for the other side to connect to the relay. */
  waiting: () => void;
  /** End-to-end keys agreed and confirmed; `sas` is what both people read to each other. */
  ready: (info: { sas: string; rekeyed: boolean }) => void;
  message: (message: Message, payload: Uint8Array) => void;
  /** The other side's connection dropped (it may come back). */
  peerLeft: () => void;
  /** A protocol violation: the session is closed and the person must be told. */
  alert: (error: ProtocolError) => void;
  /** The relay closed the session (ended by someone). */
  ended: (reason: string) => void;
}

type Listeners = { [K in keyof EndpointEvents]: EndpointEvents[K][] };

// Acknowledge after this many frames or this long, whichever comes first: bounds the sender's
// retransmission buffer without an ack per frame.
const ACK_EVERY_FRAMES = 16;
const ACK_AFTER_MS = 200;
/** A sender with this much unacknowledged data waits (drain()) before sending more. */
export const SEND_WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * One end of a support session, shared by the agent and the browser: joins the relay with a
 * ticket, runs the handshake, then sends and receives encrypted messages in order. After a
 * reconnect it resumes where the peer stopped; any protocol violation ends it with an alert.
 * All incoming frames are processed strictly one after another.
 */
export class SecureEndpoint {
  private transport: Transport | null = null;
  private handshake: HandshakeState | null = null;
  private channel: SecureChannel | null = null;
  private channelKeys: SessionKeys | null = null;
  private confirmed = false;
  /** Whether keys were confirmed before: a later confirmation is a re-key (the peer restarted). */
  private everConfirmed = false;
  private resuming = false;
  private failed = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly pendingSends: { message: Message; payload: Uint8Array; done: () => void; fail: (e: unknown) => void }[] = [];
  private framesSinceAck = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private drainWaiters: (() => void)[] = [];
  private readonly listeners: Listeners = { waiting: [], ready: [], message: [], peerLeft: [], alert: [], ended: [] };

  constructor(readonly role: Role, readonly sessionId: string, private readonly pin: string) {}

  on<K extends keyof EndpointEvents>(event: K, listener: EndpointEvents[K]): this {
    this.listeners[event].push(listener);
    return this;
  }

  private emit<K extends keyof EndpointEvents>(event: K, ...args: Parameters<EndpointEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: unknown[]) => void)(...args);
  }

  /** Whether keys are agreed and confirmed. */
  get isReady(): boolean {
    return this.confirmed && !this.failed;
  }

  get sas(): string | null {
    return this.confirmed ? this.channel?.sas ?? null : null;
  }

  /** Uses a (new) relay connection: sends the ticket; the relay answers with waiting/paired. */
  attach(transport: Transport, ticket: string): void {
    this.transport = transport;
    if (this.confirmed) this.resuming = true;
    transport.send(JSON.stringify({ ticket }));
  }

  /** The connection dropped: keep the keys and wait for attach() with a new ticket. */
  detach(): void {
    this.transport = null;
  }

  /** Feeds a text frame from the relay (its control messages). */
  handleText(text: string): void {
    let control: { type?: string; resumed?: boolean; reason?: string };
    try {
      control = JSON.parse(text) as typeof control;
    } catch {
      return;
    }
    this.serial(async () => {
      if (control.type === 'waiting') this.emit('waiting');
      else if (control.type === 'paired') await this.onPaired();
      else if (control.type === 'peer-left') this.emit('peerLeft');
      else if (control.type === 'ended') this.emit('ended', String(control.reason ?? 'ended'));
    });
  }

  /** Feeds a binary frame from the peer (via the relay). */
  handleBinary(frame: Uint8Array): void {
    this.serial(() => this.onFrame(frame));
  }

  /** Sends a message; resolves when it was handed to the connection (queued until ready). */
  send(message: Message, payload: Uint8Array = new Uint8Array(0)): Promise<void> {
    return new Promise((done, fail) => {
      this.pendingSends.push({ message, payload, done, fail });
      this.serial(() => this.flush());
    });
  }

  /** Resolves once unacknowledged data is below the send window (for large transfers). */
  drain(): Promise<void> {
    if (!this.channel || this.channel.pendingBytes < SEND_WINDOW_BYTES) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops timers; the owner closes the transport. */
  dispose(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
  }

  private serial(task: () => Promise<void> | void): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const alert = error instanceof ProtocolError ? error : new ProtocolError('frame_malformed', (error as Error)?.message ?? 'Internal error.');
    this.dispose();
    for (const pending of this.pendingSends.splice(0)) pending.fail(alert);
    this.emit('alert', alert);
    this.transport?.close(4400, alert.code);
  }

  private async onPaired(): Promise<void> {
    if (this.failed) return;
    if (this.confirmed && this.channel) {
      // Both sides hold new data back until the peer has said where it stopped.
      this.resuming = true;
      this.transport?.send(await this.channel.resumeFrame());
      return;
    }
    this.handshake = await startHandshake(this.role, this.sessionId, this.pin);
    this.transport?.send(this.handshake.hello);
  }

  private async onFrame(frame: Uint8Array): Promise<void> {
    if (this.failed) return;
    const kind = frameKind(frame);
    if (kind === FrameKind.Hello) return this.onHello(frame);
    // A peer that still has keys from before we restarted greets the new connection with RESUME
    // (and may still ACK); our HELLO will start a new handshake, so these are simply obsolete.
    if (!this.channel && (kind === FrameKind.Resume || kind === FrameKind.Ack)) return;
    if (!this.channel) throw new ProtocolError('unexpected_frame', 'Frame before the handshake.');
    if (kind === FrameKind.Confirm) {
      await checkConfirm(this.channelKeys!, frame);
      const rekeyed = this.everConfirmed;
      this.confirmed = true;
      this.everConfirmed = true;
      this.emit('ready', { sas: this.channel.sas, rekeyed });
      return this.flush();
    }
    if (!this.confirmed) throw new ProtocolError('unexpected_frame', 'Data before key confirmation.');
    if (kind === FrameKind.Ack) {
      await this.channel.handleAck(frame);
      this.releaseDrainWaiters();
    } else if (kind === FrameKind.Resume) {
      for (const resent of await this.channel.handleResume(frame)) this.transport?.send(resent);
      this.resuming = false;
      await this.flush();
    } else {
      const { message, payload } = decodeMessage(await this.channel.open(frame));
      await this.scheduleAck();
      this.emit('message', message, payload);
    }
  }

  /** A HELLO starts (or, from a peer that lost its keys, restarts) the handshake. */
  private async onHello(frame: Uint8Array): Promise<void> {
    if (!this.handshake || this.confirmed) {
      this.handshake = await startHandshake(this.role, this.sessionId, this.pin);
      this.transport?.send(this.handshake.hello);
    }
    const keys = await finishHandshake(this.handshake, frame);
    this.handshake = null;
    this.channelKeys = keys;
    this.channel = new SecureChannel(keys);
    this.confirmed = false;
    this.resuming = false;
    this.transport?.send(await confirmFrame(keys));
  }

  private async flush(): Promise<void> {
    if (!this.confirmed || this.resuming || !this.channel || !this.transport) return;
    while (this.pendingSends.length > 0) {
      const next = this.pendingSends.shift()!;
      try {
        const frame = await this.channel.seal(encodeMessage(next.message, next.payload));
        this.transport?.send(frame);
        next.done();
      } catch (error) {
        next.fail(error);
        throw error;
      }
    }
  }

  private async scheduleAck(): Promise<void> {
    this.framesSinceAck += 1;
    if (this.framesSinceAck >= ACK_EVERY_FRAMES) {
      await this.sendAck();
    } else if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => this.serial(() => this.sendAck()), ACK_AFTER_MS);
    }
  }

  private async sendAck(): Promise<void> {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.framesSinceAck = 0;
    if (this.channel && this.transport && !this.failed) this.transport.send(await this.channel.ackFrame());
  }

  private releaseDrainWaiters(): void {
    if (!this.channel || this.channel.pendingBytes >= SEND_WINDOW_BYTES) return;
    for (const waiter of this.drainWaiters.splice(0)) waiter();
  }
}
