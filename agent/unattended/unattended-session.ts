import type { Writable } from 'node:stream';
import type { StartRequest } from '../../protocol/device-auth.js';
import type { Message } from '../../protocol/messages.js';
import type { AgentOptions } from '../cli/args.js';
import { ExitCode } from '../exit-codes.js';
import { BrokerError } from '../net/http.js';
import { SessionGone } from '../net/relay-connect.js';
import type { Trust } from '../net/trust.js';
import { AgentSession, type SessionBroker } from '../session.js';
import { DeviceGone, type DeviceApi } from './device-api.js';
import type { DeviceState } from './device-state.js';
import { ServiceUi } from './log-ui.js';
import type { CredentialResult } from './pam-linux.js';

/** Wrong credentials one session may try before it is ended. */
export const ATTEMPTS_PER_SESSION = 3;
/** How long the technician has to present the device credentials. */
const AUTH_DEADLINE_MS = 120_000;

/** Wrong credentials across sessions on this device: after `limit` in `windowMs`, checks are refused. */
export class CredentialLimiter {
  private failures: number[] = [];
  constructor(private readonly limit = 5, private readonly windowMs = 15 * 60_000) {}
  get locked(): boolean {
    const since = Date.now() - this.windowMs;
    this.failures = this.failures.filter((at) => at > since);
    return this.failures.length >= this.limit;
  }
  fail(): void {
    this.failures.push(Date.now());
  }
}

/** What one unattended session runs with. */
export interface UnattendedDeps {
  state: DeviceState;
  api: DeviceApi;
  trust: Trust;
  env: NodeJS.ProcessEnv;
  ui: ServiceUi;
  /** Where the session's own events go (the service's stdout). */
  out: Writable;
  limiter: CredentialLimiter;
  check(user: string, password: string): Promise<CredentialResult>;
  /** Called with the running session (to end it locally), and with null when it is over. */
  onSession(session: AgentSession | null): void;
}

/** The broker side of a session on an enrolled device: everything signed with the device key. */
function deviceBroker(api: DeviceApi, sessionId: string, ui: ServiceUi): SessionBroker {
  return {
    ticket: () => api.ticket(sessionId).catch((error: unknown) => {
      if (error instanceof DeviceGone || (error instanceof BrokerError && [401, 403, 404].includes(error.status))) throw new SessionGone((error as Error).message);
      throw error;
    }),
    report: (event) => void api.report({ ...event, sessionId }).catch((error: Error) => ui.notify({ event: 'error', message: error.message })),
    end: (reason) => api.end(sessionId, reason),
    now: () => api.now(),
  };
}

/**
 * Runs one unattended session: joins the relay with the secret from the signed start request,
 * then shares nothing until the technician presents this computer's own credentials, checked
 * here through PAM. Wrong ones are reported (the broker counts them too), limited per session
 * and per device; a session without valid credentials in time is ended.
 */
export async function runUnattendedSession(deps: UnattendedDeps, start: StartRequest): Promise<ExitCode> {
  const { api, ui, state } = deps;
  const ticket = await api.ticket(start.sid);
  const server = new URL(state.server);
  let authorised = false;
  let attempts = 0;
  const options: AgentOptions = {
    server, pin: start.secret, joinCode: null, channel: null, ports: null, caFile: state.caFile, fingerprint: state.fingerprint,
    downloadDir: '/nonexistent', maxFileBytes: 0, script: true, lang: 'en',
  };
  const session: AgentSession = new AgentSession(
    { options, pin: start.secret, trust: deps.trust, ui: new ServiceUi(deps.out, () => authorised), env: deps.env },
    deviceBroker(api, start.sid, ui),
    { sessionId: start.sid, ticket, expiresAt: start.exp, relay: { path: '/relay', ports: [Number(server.port || (server.protocol === 'https:' ? 443 : 80))] }, grantKey: state.brokerKey, technician: { displayName: start.technician.displayName } },
    {
      'unattended.auth': async (message: Message<'unattended.auth'>) => {
        const answer = (ok: boolean, reason: Message<'unattended.auth.result'>['reason']) => session.send({ type: 'unattended.auth.result', ok, reason, attemptsLeft: Math.max(0, ATTEMPTS_PER_SESSION - attempts) });
        if (authorised) return answer(true, 'accepted');
        if (deps.limiter.locked) {
          await api.report({ event: 'credentials', sessionId: start.sid, outcome: 'locked', user: message.user.slice(0, 64) }).catch(() => undefined);
          await answer(false, 'locked');
          return finish('too many wrong device credentials on this device');
        }
        const result = await deps.check(message.user, message.password);
        ui.notify({ event: 'credentials', outcome: result, user: message.user.slice(0, 64) });
        await api.report({ event: 'credentials', sessionId: start.sid, outcome: result === 'accepted' ? 'accepted' : 'rejected', user: message.user.slice(0, 64) }).catch(() => undefined);
        if (result === 'accepted') {
          authorised = true;
          return answer(true, 'accepted');
        }
        attempts += 1;
        deps.limiter.fail();
        await answer(false, result === 'bad_user' ? 'bad_user' : 'rejected');
        if (attempts >= ATTEMPTS_PER_SESSION) await finish('three wrong device credentials');
      },
    },
  );
  /** Ends the session at the broker (the relay then closes it for both sides), then here. */
  const finish = async (reason: string) => {
    await api.end(start.sid, reason).catch(() => undefined);
    await session.endHere('system');
  };
  deps.onSession(session);
  const deadline = setTimeout(() => !authorised && void finish('no valid device credentials in time'), AUTH_DEADLINE_MS);
  ui.notify({ event: 'unattended-active', sessionId: start.sid, technician: start.technician.email, since: Date.now() });
  try {
    return await session.run();
  } finally {
    clearTimeout(deadline);
    deps.onSession(null);
    ui.notify({ event: 'unattended-ended', sessionId: start.sid });
  }
}
