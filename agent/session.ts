import { hostname } from 'node:os';
import { SecureEndpoint } from '../protocol/endpoint.js';
import type { ProtocolError } from '../protocol/errors.js';
import type { Capability } from '../protocol/messages.js';
import { chatCapability } from './capabilities/chat.js';
import { diagnosticsCapability } from './capabilities/diagnostics.js';
import { filesCapability } from './capabilities/files.js';
import { screenCapabilities } from './capabilities/screen/index.js';
import type { AgentCapability, CapabilityContext, HandlerMap } from './capabilities/types.js';
import type { AgentOptions } from './cli/args.js';
import { ConsentDesk, GrantVerifier } from './consent.js';
import { ExitCode } from './exit-codes.js';
import { BrokerApi, type AgentEvent, type Bootstrap } from './net/broker.js';
import { BrokerError, createJsonClient } from './net/http.js';
import { openRelaySocket, RelayLink, relayUrls, SessionGone } from './net/relay-connect.js';
import type { Trust } from './net/trust.js';
import { screenBlocker } from './capabilities/screen/platform.js';
import { AGENT_VERSION, describeOs, osName } from './platform.js';
import { buildRegistry, MessageQueue, type Registry } from './registry.js';
import type { AgentUi } from './ui/types.js';

/** Everything a session runs with. */
export interface SessionSetup {
  options: AgentOptions;
  /** The PIN; null when a channel link starts the session (the broker then gives the code). */
  pin: string | null;
  trust: Trust;
  ui: AgentUi;
  env: NodeJS.ProcessEnv;
  /** Aborting ends the session as if the customer typed /end (SIGTERM). */
  stop?: AbortSignal;
}

/** How long the first relay connection may take before the agent gives up (exit 4). */
const INITIAL_CONNECT_MS = 30_000;
/** Broker statuses that mean "this session is over for you": stop reconnecting. */
const GONE_STATUSES = new Set([401, 403, 404, 409, 410]);

/** Joins the session (PIN or join code), runs it until it ends, and returns the exit code. */
export async function runSession(setup: SessionSetup): Promise<ExitCode> {
  const { options, ui, trust, env } = setup;
  const broker = new BrokerApi(createJsonClient(options.server, trust, env));
  ui.notify({ event: 'connecting', server: options.server.origin });
  let bootstrap: Bootstrap;
  let pin = setup.pin;
  try {
    if (options.channel) {
      const started = await broker.startChannel(options.channel);
      pin = started.pin;
      bootstrap = await broker.join(started.joinCode);
    } else {
      bootstrap = options.joinCode ? await broker.join(options.joinCode) : await broker.redeem(setup.pin ?? '');
    }
  } catch (error) {
    const refused = error instanceof BrokerError && error.status >= 400 && error.status < 500;
    ui.notify({ event: 'error', code: refused ? 'pin_refused' : 'cannot_connect', message: (error as Error).message });
    return refused ? ExitCode.refused : ExitCode.cannotConnect;
  }
  if (setup.stop?.aborted) {
    // The customer ended while the broker was still answering.
    await broker.end('customer ended the session').catch(() => {});
    ui.notify({ event: 'ended', by: 'customer' });
    return ExitCode.ended;
  }
  ui.notify({ event: 'connected', technician: bootstrap.technician.displayName });
  broker.report({ event: 'hello', hostname: hostname().slice(0, 255), os: describeOs(), agentVersion: AGENT_VERSION });
  tellScreenLimits(ui, env, options.server.origin);
  if (!pin) {
    ui.notify({ event: 'error', code: 'pin_refused', message: 'No PIN and no channel link to start from.' });
    return ExitCode.refused;
  }
  return new AgentSession({ ...setup, pin }, broker, bootstrap).run();
}

/**
 * What a running session needs from the broker: fresh relay tickets, audit reports, its end
 * and the broker's clock. A PIN session uses its agent token (BrokerApi); an unattended
 * session on an enrolled device signs with the device key.
 */
export interface SessionBroker {
  ticket(): Promise<string>;
  report(event: AgentEvent): void;
  end(reason: string): Promise<void>;
  now(): number;
}

/** Says at the start where this program cannot share the screen (another OS, a Wayland desktop) and what to do. */
function tellScreenLimits(ui: AgentUi, env: NodeJS.ProcessEnv, server: string): void {
  const blocker = screenBlocker(env);
  if (blocker?.reason === 'unsupported_os') ui.notify({ event: 'notice', key: 'screenNotOnOs', os: osName() });
  if (blocker?.reason === 'wayland') ui.notify({ event: 'notice', key: 'screenWayland', server });
}

/** One joined support session: endpoint, relay link, capabilities, consent, and its end. */
export class AgentSession {
  private readonly endpoint: SecureEndpoint;
  private readonly link: RelayLink;
  private readonly capabilities: AgentCapability[];
  private readonly registry: Registry;
  private readonly queue: MessageQueue;
  private readonly desk: ConsentDesk;
  private finish: (code: ExitCode) => void = () => {};
  private readonly done = new Promise<ExitCode>((resolve) => (this.finish = resolve));
  private ending = false;

  /** `extraHandlers`: messages only this kind of session takes (an unattended session's credential check). */
  constructor(private readonly setup: SessionSetup & { pin: string }, private readonly broker: SessionBroker, private readonly bootstrap: Omit<Bootstrap, 'agentToken'>, extraHandlers: HandlerMap = {}) {
    const { ui, options } = setup;
    this.endpoint = new SecureEndpoint('customer', bootstrap.sessionId, setup.pin);
    const ctx: CapabilityContext = {
      send: (message, payload) => this.endpoint.send(message, payload),
      drain: () => this.endpoint.drain(),
      ui,
      events: broker,
      settings: { downloadDir: options.downloadDir, maxFileBytes: options.maxFileBytes },
    };
    this.capabilities = [chatCapability(ctx), filesCapability(ctx), diagnosticsCapability(ctx), ...screenCapabilities(ctx, setup.env)];
    this.registry = buildRegistry(this.capabilities, {
      handlers: {
        ...extraHandlers,
        'consent.request': (request) => this.desk.handle(request),
        'session.end': () => this.end('technician'),
        'capability.stop': (message) => this.stop(message.capability),
      },
      commands: { end: () => this.end('customer') },
    });
    this.desk = new ConsentDesk({
      verifier: new GrantVerifier(bootstrap.grantKey, bootstrap.sessionId, () => broker.now()),
      ui, send: (message) => this.endpoint.send(message), events: broker, offers: this.registry.offers,
    });
    this.queue = new MessageQueue(this.registry.handlers, (error) => ui.notify({ event: 'error', message: error.message }));
    this.link = new RelayLink({
      urls: relayUrls(options.server, bootstrap.relay.path, options.ports ?? bootstrap.relay.ports),
      open: (url) => openRelaySocket(url, setup.trust, setup.env),
      freshTicket: () => this.freshTicket(),
      endpoint: this.endpoint,
      events: {
        onConnected: (_url, again) => again && ui.notify({ event: 'reconnected' }),
        onReconnecting: () => ui.notify({ event: 'reconnecting' }),
        // The relay's `ended` text (with who ended it) arrives just before its close; let it win.
        onGone: (reason) => setTimeout(() => void this.end(reason === 'ended' ? 'relay' : reason === 'revoked' ? 'system' : 'replaced'), 100),
      },
    });
    this.wireEndpoint();
    ui.onCommand((command) => {
      Promise.resolve(this.registry.commands.get(command.kind)?.(command)).catch((error: Error) => ui.notify({ event: 'error', message: error.message }));
    });
    setup.stop?.addEventListener('abort', () => void this.end('customer'), { once: true });
  }

  /** Sends a message to the technician through the end-to-end channel. */
  send(...args: Parameters<SecureEndpoint['send']>): Promise<void> {
    return this.endpoint.send(...args);
  }

  /** Ends the session from this side (the person at the device, or the service). */
  endHere(by: 'customer' | 'system' = 'customer'): Promise<void> {
    return this.end(by);
  }

  async run(): Promise<ExitCode> {
    try {
      await this.link.start(this.bootstrap.ticket, INITIAL_CONNECT_MS);
    } catch (error) {
      if (this.ending) return this.done;
      if (error instanceof SessionGone) {
        await this.end('system');
        return this.done;
      }
      this.setup.ui.notify({ event: 'error', code: 'cannot_connect', message: (error as Error).message });
      await this.broker.end('the agent could not reach the relay').catch(() => {});
      await this.end('system', ExitCode.cannotConnect, null, true);
    }
    return this.done;
  }

  private wireEndpoint(): void {
    const { ui } = this.setup;
    this.endpoint
      .on('waiting', () => ui.notify({ event: 'waiting' }))
      .on('ready', ({ sas, rekeyed }) => {
        ui.notify({ event: 'ready', sas, rekeyed });
        // Tells the console end to end which client this is (a browser page takes no input; the agent can, where it shares).
        void this.endpoint.send({ type: 'client.info', client: 'agent', remoteInput: screenBlocker(this.setup.env) === null }).catch(() => undefined);
      })
      .on('peerLeft', () => ui.notify({ event: 'peer-left' }))
      .on('message', (message, payload) => this.queue.push(message, payload))
      .on('ended', (reason) => void this.end(/^ended by (\w+)/.exec(reason)?.[1] ?? reason))
      .on('alert', (error) => void this.end('alert', ExitCode.alert, error));
  }

  private async freshTicket(): Promise<string> {
    try {
      return await this.broker.ticket();
    } catch (error) {
      if (error instanceof BrokerError && GONE_STATUSES.has(error.status)) throw new SessionGone(error.message);
      throw error;
    }
  }

  private async stop(capability: Capability): Promise<void> {
    for (const owner of this.capabilities) if (owner.consents?.[capability]) await owner.stop?.(capability);
    this.broker.report({ event: 'capability.stopped', capability });
  }

  /**
   * Ends the session once: the customer's end tells the technician (session.end) and the
   * broker; an alert ends it at the broker too. Then the link closes, capabilities clean up
   * (no half-received files remain) and run() returns the exit code.
   */
  private async end(by: string, code: ExitCode = ExitCode.ended, alert: ProtocolError | null = null, quiet = false): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    const { ui } = this.setup;
    if (alert) {
      this.link.close(4400, alert.code);
      ui.notify({ event: 'alert', code: alert.code, message: alert.message });
      await this.broker.end(`protocol alert: ${alert.code}`).catch(() => {});
    } else if (by === 'customer') {
      await this.sayGoodbye();
    }
    this.link.close();
    if (!alert && !quiet) ui.notify({ event: 'ended', by });
    for (const capability of this.capabilities) await capability.dispose?.().catch(() => {});
    this.endpoint.dispose();
    this.finish(code);
  }

  private async sayGoodbye(): Promise<void> {
    if (this.endpoint.isReady) {
      await withTimeout(this.endpoint.send({ type: 'session.end', reason: 'The customer ended the session.' }), 2_000);
      for (let waited = 0; this.link.bufferedAmount > 0 && waited < 2_000; waited += 20) await delay(20);
    }
    await this.broker.end('customer ended the session').catch((error: Error) => this.setup.ui.notify({ event: 'error', message: error.message }));
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([promise.then(() => undefined, () => undefined), delay(ms)]);
}
