import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs as parseNodeArgs } from 'node:util';
import { parseFingerprint, UsageError } from '../cli/args.js';
import { ExitCode } from '../exit-codes.js';
import { createJsonClient } from '../net/http.js';
import { loadTrust } from '../net/trust.js';
import { AGENT_VERSION, describeOs } from '../platform.js';
import { DeviceApi, enrolWithToken } from './device-api.js';
import { DEFAULT_STATE_DIR, forgetDevice, generateDeviceKey, isEnrolled, loadDevice, saveDevice } from './device-state.js';
import { runService } from './service.js';
import { DEFAULT_UNIT_DIR, installService, PAM_SERVICE, systemdUnit, uninstallService } from './systemd-linux.js';

/** The unattended-access commands of `rescuebox-agent`. */
export const unattendedCommands = ['enrol', 'service', 'revoke', 'end-session', 'service-unit'] as const;

export const unattendedUsage = `Unattended access (Linux, as root):
  rescuebox-agent enrol --server <url> --token <deployment token> [--fingerprint <hex> | --ca <file>]
                        [--name <device name>] [--install-service] [--state-dir <dir>]
  rescuebox-agent service [--state-dir <dir>]      run the service (systemd starts this)
  rescuebox-agent revoke [--state-dir <dir>]       end unattended access here for good: stops the
                                                   service, deletes the device key, tells the server
  rescuebox-agent end-session [--state-dir <dir>]  end the unattended session running now
  rescuebox-agent service-unit [--state-dir <dir>] print the systemd unit

Exit codes: 0 done, 2 bad usage, 3 refused by the server, 4 cannot connect, 7 access revoked or expired.`;

const spec = {
  server: { type: 'string' }, token: { type: 'string' }, fingerprint: { type: 'string' }, ca: { type: 'string' }, name: { type: 'string' },
  'install-service': { type: 'boolean' }, 'state-dir': { type: 'string' }, 'unit-dir': { type: 'string' }, 'pam-service': { type: 'string' }, 'poll-ms': { type: 'string' },
} as const;

type Values = Partial<Record<keyof typeof spec, string | boolean>>;
const text = (values: Values, key: keyof typeof spec): string | undefined => (typeof values[key] === 'string' ? (values[key] as string).trim() : undefined);

/** Runs one unattended command; returns the exit code. */
export async function runUnattendedCommand(command: (typeof unattendedCommands)[number], argv: string[], env: NodeJS.ProcessEnv): Promise<ExitCode> {
  let values: Values;
  try {
    values = parseNodeArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const stateDir = resolve(text(values, 'state-dir') ?? DEFAULT_STATE_DIR);
  const unitDir = resolve(text(values, 'unit-dir') ?? DEFAULT_UNIT_DIR);
  const handlers: Record<typeof command, () => Promise<ExitCode>> = {
    enrol: () => enrol(values, stateDir, unitDir, env),
    service: () => service(values, stateDir, unitDir, env),
    revoke: () => revoke(stateDir, unitDir, env),
    'end-session': async () => signalService(stateDir, 'SIGUSR1'),
    'service-unit': async () => {
      process.stdout.write(systemdUnit({ command: [process.execPath, ...(process.argv[1] ? [resolve(process.argv[1])] : [])], stateDir }, unitDir));
      return ExitCode.ended;
    },
  };
  return handlers[command]();
}

async function enrol(values: Values, stateDir: string, unitDir: string, env: NodeJS.ProcessEnv): Promise<ExitCode> {
  const server = text(values, 'server');
  const token = text(values, 'token');
  if (!server || !token) throw new UsageError('enrol needs --server and --token.');
  if (isEnrolled(stateDir)) {
    process.stderr.write(`This device is already enrolled (${stateDir}); revoke it first.\n`);
    return ExitCode.usage;
  }
  const url = new URL(new URL(server).origin);
  const fingerprint = parseFingerprint(text(values, 'fingerprint'));
  const caFile = text(values, 'ca') ? resolve(text(values, 'ca')!) : null;
  const http = createJsonClient(url, loadTrust(caFile, fingerprint), env);
  const keys = generateDeviceKey();
  const name = (text(values, 'name') ?? hostname()).slice(0, 255);
  const enrolled = await enrolWithToken(http, token, keys, { name, os: describeOs(), agentVersion: AGENT_VERSION });
  const pamService = text(values, 'pam-service') ?? PAM_SERVICE;
  if (!/^[a-z0-9_-]{1,64}$/.test(pamService)) throw new UsageError('--pam-service: a PAM service name.');
  saveDevice(stateDir, keys.privateKey, {
    deviceId: enrolled.deviceId, server: url.origin, fingerprint, caFile, brokerKey: enrolled.brokerKey, enrolledAt: Date.now(), expiresAt: enrolled.expiresAt, pamService,
  });
  process.stdout.write(`${JSON.stringify({ event: 'enrolled', deviceId: enrolled.deviceId, stateDir, expiresAt: enrolled.expiresAt })}\n`);
  if (values['install-service']) {
    const bundle = process.argv[1] && /\.m?js$/.test(process.argv[1]) ? resolve(process.argv[1]) : null;
    const unitFile = installService({ source: bundle ?? process.execPath, node: bundle ? process.execPath : null }, stateDir, unitDir);
    process.stdout.write(`${JSON.stringify({ event: 'service-installed', unitFile })}\n`);
  }
  return ExitCode.ended;
}

async function service(values: Values, stateDir: string, unitDir: string, env: NodeJS.ProcessEnv): Promise<ExitCode> {
  const pollMs = Number(text(values, 'poll-ms') ?? '5000');
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 600_000) throw new UsageError('--poll-ms: 50 to 600000.');
  const stop = new AbortController();
  process.on('SIGTERM', () => stop.abort());
  process.on('SIGINT', () => stop.abort());
  return runService({ stateDir, unitDir, pollMs, env, out: process.stdout }, stop.signal);
}

/** Local revoke: stops the service, tells the broker (best effort), removes the service, deletes the key. */
async function revoke(stateDir: string, unitDir: string, env: NodeJS.ProcessEnv): Promise<ExitCode> {
  const { privateKey, state } = loadDevice(stateDir);
  await stopService(stateDir);
  let told = true;
  try {
    await new DeviceApi(createJsonClient(new URL(state.server), loadTrust(state.caFile, state.fingerprint), env), state.deviceId, privateKey).revoke('revoked on the device (rescuebox-agent revoke)');
  } catch (error) {
    told = false;
    process.stderr.write(`The server could not be told (${(error as Error).message}); the key is deleted anyway, so this device can never connect again. Ask your IT to remove it from the device list.\n`);
  }
  const removed = uninstallService(unitDir, true);
  forgetDevice(stateDir);
  process.stdout.write(`${JSON.stringify({ event: 'revoked', deviceId: state.deviceId, serverTold: told, serviceRemoved: removed })}\n`);
  return ExitCode.ended;
}

/** Asks a running service to stop (SIGTERM) and waits up to 10 s for it to go. */
async function stopService(stateDir: string): Promise<void> {
  const pid = servicePid(stateDir);
  if (pid === null || signalService(stateDir, 'SIGTERM') !== ExitCode.ended) return;
  for (let waited = 0; waited < 10_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function servicePid(stateDir: string): number | null {
  try {
    const pid = Number(readFileSync(resolve(stateDir, 'service.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/** Sends a signal to the running service (its pid file); exit 1 when none runs. */
function signalService(stateDir: string, signal: NodeJS.Signals): ExitCode {
  const pid = servicePid(stateDir);
  if (pid === null) return ExitCode.error;
  try {
    process.kill(pid, signal);
    return ExitCode.ended;
  } catch {
    return ExitCode.error;
  }
}
