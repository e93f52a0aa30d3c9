import { bootstrapSchema, type Bootstrap, type CustomerEvent } from '../../protocol/customer-api.js';
import { ApiError } from '../api/client.js';

/** Skew below this is ignored: the Date header has one-second resolution. */
const SKEW_TOLERANCE_MS = 2_000;

/**
 * The broker's customer-client API as the browser page uses it — the same routes the agent
 * calls (join, ticket, events, end) with the same session-bound agent token. No cookie is
 * sent: the page's only credential is that token.
 */
export class CustomerBroker {
  private agentToken: string | null = null;
  private clockOffset = 0;

  /** Exchanges the PIN page's join code (single use) for the session bootstrap. */
  async join(joinCode: string): Promise<Bootstrap> {
    const response = await this.post('/api/v1/agent/join', { joinCode }, false);
    const parsed = bootstrapSchema.safeParse(await response.json());
    if (!parsed.success) throw new ApiError(502, 'bad_response', 'The server\'s answer is not a RescueBox session bootstrap.', {});
    const serverDate = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(serverDate)) {
      const offset = serverDate - Date.now();
      this.clockOffset = Math.abs(offset) > SKEW_TOLERANCE_MS ? offset : 0;
    }
    this.agentToken = parsed.data.agentToken;
    return parsed.data;
  }

  /** A fresh relay ticket for a reconnect. */
  async ticket(): Promise<string> {
    const body = (await (await this.post('/api/v1/agent/ticket', {})).json()) as { ticket?: unknown };
    if (typeof body.ticket !== 'string') throw new ApiError(502, 'bad_response', 'The server sent no ticket.', {});
    return body.ticket;
  }

  /** Reports an event for the audit log; a failure is not the customer's problem (never thrown). */
  report(event: CustomerEvent): void {
    this.post('/api/v1/agent/events', event).catch(() => undefined);
  }

  /** A single-use join code that continues this session in the agent (the page's token ends when it is used). */
  async handover(): Promise<{ joinCode: string; expiresAt: number }> {
    const body = (await (await this.post('/api/v1/agent/handover', {})).json()) as { joinCode?: unknown; expiresAt?: unknown };
    if (typeof body.joinCode !== 'string' || typeof body.expiresAt !== 'number') throw new ApiError(502, 'bad_response', 'The server sent no handover code.', {});
    return { joinCode: body.joinCode, expiresAt: body.expiresAt };
  }

  /** Ends the session at the broker (which closes the relay pairing). */
  async end(reason: string): Promise<void> {
    await this.post('/api/v1/agent/end', { reason: reason.slice(0, 200) });
  }

  /** Ends the session while the page goes away: a keepalive request outlives the page. */
  endOnUnload(reason: string): void {
    if (!this.agentToken) return;
    void fetch('/api/v1/agent/end', { method: 'POST', keepalive: true, credentials: 'omit', headers: this.headers(), body: JSON.stringify({ reason }) }).catch(() => undefined);
  }

  /** The broker's current time (epoch ms), estimated from its Date header (grant expiry is broker time). */
  now(): number {
    return Date.now() + this.clockOffset;
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', accept: 'application/json', ...(this.agentToken && { authorization: `Agent ${this.agentToken}` }) };
  }

  private async post(path: string, body: unknown, authenticated = true): Promise<Response> {
    if (authenticated && !this.agentToken) throw new Error('Not joined yet.');
    const response = await fetch(path, { method: 'POST', credentials: 'omit', headers: this.headers(), body: JSON.stringify(body) });
    if (response.ok) return response;
    let data: Record<string, unknown> = {};
    try {
      data = (await response.json()) as Record<string, unknown>;
    } catch {
      data = {};
    }
    throw new ApiError(response.status, String(data.error ?? 'internal'), String(data.message ?? response.statusText), data);
  }
}
