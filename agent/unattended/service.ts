import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { startRequestSchema, type StartRequest } from '../../protocol/device-auth.js';
import { ed25519KeyFromPem, verifyCompactToken } from '../../protocol/grants.js';
import { ExitCode } from '../exit-codes.js';
import { createJsonClient } from '../net/http.js';
import { loadTrust } from '../net/trust.js';
import { AGENT_VERSION, describeOs } from '../platform.js';
import type { AgentSession } from '../session.js';
import { DeviceApi, DeviceGone } from './device-api.js';
import { forgetDevice, loadDevice, type DeviceState } from './device-state.js';
import { ServiceUi } from './log-ui.js';
import { checkCredentials } from './pam-linux.js';
import { uninstallService } from './systemd-linux.js';
import { CredentialLimiter, runUnattendedSession } from './unattended-session.js';

/** How the service runs. */
export interface ServiceOptions {
  stateDir: string;
  unitDir: string;
  pollMs: number;
  env: NodeJS.ProcessEnv;
  out: Writable;
}

/** Why a start request is not acted on (reported to the broker when the session is known). */
type StartCheck = { ok: true; start: StartRequest } | { ok: false; reason: string; sessionId?: string };

/** Checks a start request: the pinned broker key's signature, this device, not expired (broker time), never seen. */
export function checkStartRequest(token: string, state: DeviceState, now: number, seen: Map<string, number>): StartCheck {
  const payload = verifyCompactToken(token, ed25519KeyFromPem(state.brokerKey));
  if (!payload) return { ok: false, reason: 'bad_signature' };
  const parsed = startRequestSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const start = parsed.data;
  if (start.did !== state.deviceId) return { ok: false, reason: 'other_device' };
  if (start.exp <= now) return { ok: false, reason: 'expired', sessionId: start.sid };
  for (const [jti, exp] of seen) if (exp <= now) seen.delete(jti);
  if (seen.has(start.jti)) return { ok: false, reason: 'replayed' };
  seen.set(start.jti, start.exp);
  return { ok: true, start };
}

/**
 * The unattended service: polls the broker, verifies each signed start request with the pinned
 * broker key and runs the session (one at a time). While one runs, `active.json` in the state
 * directory says so (the indicator), and SIGUSR1 (`rescuebox-agent end-session`) ends it at
 * once. A revoked or expired device deletes its key, removes its service and exits 7.
 */
export async function runService(options: ServiceOptions, stop: AbortSignal): Promise<ExitCode> {
  const { privateKey, state } = loadDevice(options.stateDir);
  const ui = new ServiceUi(options.out, () => false);
  const api = new DeviceApi(createJsonClient(new URL(state.server), loadTrust(state.caFile, state.fingerprint), options.env), state.deviceId, privateKey);
  const trust = loadTrust(state.caFile, state.fingerprint);
  const limiter = new CredentialLimiter();
  const seen = new Map<string, number>();
  const activeFile = join(options.stateDir, 'active.json');
  const running: { session: AgentSession | null } = { session: null };
  const onUsr1 = () => void running.session?.endHere('customer');
  process.on('SIGUSR1', onUsr1);
  writeFileSync(join(options.stateDir, 'service.pid'), `${process.pid}\n`, { mode: 0o600 });
  ui.notify({ event: 'service-started', deviceId: state.deviceId });
  const gone = (status: 'revoked' | 'expired') => {
    ui.notify({ event: 'device-gone', status });
    forgetDevice(options.stateDir);
    uninstallService(options.unitDir, false);
    return ExitCode.deviceGone;
  };
  try {
    while (!stop.aborted) {
      if (state.expiresAt !== null && Date.now() >= state.expiresAt) return gone('expired');
      let token: string | null = null;
      try {
        token = await api.poll({ agentVersion: AGENT_VERSION, os: describeOs() });
      } catch (error) {
        if (error instanceof DeviceGone) return gone(error.status);
        ui.notify({ event: 'poll-failed', message: (error as Error).message });
      }
      if (token) {
        const checked = checkStartRequest(token, state, api.now(), seen);
        if (!checked.ok) {
          ui.notify({ event: 'start-refused', reason: checked.reason, ...(checked.sessionId && { sessionId: checked.sessionId }) });
          if (checked.sessionId) await api.report({ event: 'start', sessionId: checked.sessionId, outcome: 'refused', reason: checked.reason }).catch(() => undefined);
        } else {
          const { start } = checked;
          writeFileSync(activeFile, `${JSON.stringify({ sessionId: start.sid, technician: start.technician.email, since: Date.now() })}\n`, { mode: 0o644 });
          try {
            await runUnattendedSession({
              state, api, trust, env: options.env, ui, out: options.out, limiter,
              check: (user, password) => checkCredentials(state.pamService, user, password, options.env),
              onSession: (session) => (running.session = session),
            }, start);
          } catch (error) {
            if (error instanceof DeviceGone) return gone(error.status);
            ui.notify({ event: 'error', message: (error as Error).message });
          } finally {
            rmSync(activeFile, { force: true });
          }
        }
      }
      await sleep(options.pollMs, stop);
    }
    return ExitCode.ended;
  } finally {
    process.off('SIGUSR1', onUsr1);
    await running.session?.endHere('system');
    rmSync(join(options.stateDir, 'service.pid'), { force: true });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
