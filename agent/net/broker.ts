import { bootstrapSchema, type Bootstrap, type CustomerEvent } from '../../protocol/customer-api.js';
import { BrokerError, expectOk, type JsonClient, type JsonResponse } from './http.js';

export type { Bootstrap } from '../../protocol/customer-api.js';
/** The audit events the agent reports (see core/http/routes/agent). */
export type AgentEvent = CustomerEvent;

/** Where reports go; tests and the session use this narrow view. */
export interface EventSink {
  report(event: AgentEvent): void;
}

/** Skew below this is ignored: the Date header has one-second resolution. */
const SKEW_TOLERANCE_MS = 2_000;

/**
 * The broker's agent API. After the bootstrap it holds the agent token; `now()` is the
 * broker's clock as seen from here (grant expiry is the broker's time, not the customer PC's).
 */
export class BrokerApi implements EventSink {
  private agentToken: string | null = null;
  private clockOffset = 0;

  constructor(private readonly http: JsonClient, private readonly onReportError: (error: Error) => void = () => {}) {}

  /** Redeems a PIN (single use) for the bootstrap. */
  redeem(pin: string): Promise<Bootstrap> {
    return this.bootstrap(this.http.post('/api/v1/pin/redeem', { pin }));
  }

  /** Exchanges a PIN page join code (single use) for the bootstrap. */
  join(joinCode: string): Promise<Bootstrap> {
    return this.bootstrap(this.http.post('/api/v1/agent/join', { joinCode }));
  }

  /**
   * Starts support from a channel link (no PIN): the broker opens a session in the link's
   * queue and answers the session code for the key exchange and a join code for the bootstrap.
   */
  async startChannel(token: string): Promise<{ pin: string; joinCode: string }> {
    const body = expectOk(await this.http.post('/api/v1/plugins/company-pin/start', { token })) as { pin?: unknown; joinCode?: unknown };
    if (typeof body?.pin !== 'string' || typeof body?.joinCode !== 'string') throw new BrokerError(502, 'bad_response', 'The server did not start a session for this link.');
    return { pin: body.pin, joinCode: body.joinCode };
  }

  /** A fresh relay ticket for a reconnect. */
  async ticket(): Promise<string> {
    const body = expectOk(await this.http.post('/api/v1/agent/ticket', {}, this.auth())) as { ticket?: unknown };
    if (typeof body?.ticket !== 'string') throw new BrokerError(502, 'bad_response', 'The server sent no ticket.');
    return body.ticket;
  }

  /** Reports an event for the audit log; failures are passed to onReportError, never thrown. */
  report(event: AgentEvent): void {
    this.http.post('/api/v1/agent/events', event, this.auth()).then(expectOk).catch((error: Error) => this.onReportError(error));
  }

  /** Ends the session at the broker (which closes the relay pairing). */
  async end(reason: string): Promise<void> {
    expectOk(await this.http.post('/api/v1/agent/end', { reason: reason.slice(0, 200) }, this.auth()));
  }

  /** The broker's current time (epoch ms), estimated from its Date header. */
  now(): number {
    return Date.now() + this.clockOffset;
  }

  private auth(): Record<string, string> {
    if (!this.agentToken) throw new Error('No agent token yet.');
    return { authorization: `Agent ${this.agentToken}` };
  }

  private async bootstrap(pending: Promise<JsonResponse>): Promise<Bootstrap> {
    const response = await pending;
    const parsed = bootstrapSchema.safeParse(expectOk(response));
    if (!parsed.success) throw new BrokerError(502, 'bad_response', 'The server\'s answer is not a RescueBox session bootstrap.');
    if (response.serverDate !== null) {
      const offset = response.serverDate - Date.now();
      this.clockOffset = Math.abs(offset) > SKEW_TOLERANCE_MS ? offset : 0;
    }
    this.agentToken = parsed.data.agentToken;
    return parsed.data;
  }
}
