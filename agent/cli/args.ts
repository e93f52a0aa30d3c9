import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs as parseNodeArgs } from 'node:util';
import { detectLang, languages, type Lang } from '../i18n.js';

/** Everything the agent runs with, after parsing and checking the command line. */
export interface AgentOptions {
  /** Base URL of the appliance (https://host:port). */
  server: URL;
  /** The session PIN (also the password of the end-to-end handshake); null: ask interactively. */
  pin: string | null;
  /** A PIN page join code, instead of redeeming the PIN at the broker. */
  joinCode: string | null;
  /** A channel link's token: start support without a PIN, into the link's technician group queue. */
  channel: string | null;
  /** Relay ports to try instead of the ones the broker names. */
  ports: number[] | null;
  /** PEM file of a CA or certificate to trust in addition to the system roots. */
  caFile: string | null;
  /** SHA-256 (lowercase hex, no colons) of the one server certificate to accept. */
  fingerprint: string | null;
  downloadDir: string;
  maxFileBytes: number;
  script: boolean;
  lang: Lang;
}

/** What the appliance bakes into its downloadable bundle. */
export interface BundleDefaults {
  server?: string;
  fingerprint?: string;
  /** The company offering support (the signed program's prompts name it). */
  company?: string;
}

/** Bad command line: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--help` was asked for. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

export const usage = `Usage:
  rescuebox-agent --server <url> --pin <pin>
  rescuebox-agent --server <url> --join <joinCode> --pin <pin>
  rescuebox-agent --server <url> --channel <link>

Options:
  --server <url>          the support appliance, e.g. https://support.example.com
  --pin <pin>             the PIN your technician gave you
  --join <code>           join code from the support web page (instead of redeeming the PIN)
  --channel <link>        a channel link (desktop shortcut) from your IT: no PIN needed
  --ports <list>          relay ports to try in parallel (default: what the server says)
  --ca <file>             trust this PEM CA or certificate for TLS
  --fingerprint <hex>     accept exactly the server certificate with this SHA-256 fingerprint
  --download-dir <dir>    where received files go (default ~/Downloads/RescueBox)
  --max-file-mb <n>       largest file accepted (default 1024)
  --lang de|en            language (default from LANG)
  --script                JSON lines on stdout, commands on stdin (for automation)
  --help                  this text

See also: rescuebox-agent enrol / service / revoke / end-session (unattended access).

Exit codes: 0 session ended, 2 bad usage, 3 PIN or join code refused, 4 cannot connect,
5 connection tampered with, 6 this program was changed after download, 1 other errors.`;

const spec = {
  server: { type: 'string' },
  pin: { type: 'string' },
  join: { type: 'string' },
  channel: { type: 'string' },
  ports: { type: 'string' },
  ca: { type: 'string' },
  fingerprint: { type: 'string' },
  'download-dir': { type: 'string' },
  'max-file-mb': { type: 'string' },
  lang: { type: 'string' },
  script: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Parses argv (without node and script); defaults come from the bundle, the language from env. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = {}, defaults: BundleDefaults = {}): AgentOptions {
  let values: Partial<Record<keyof typeof spec, string | boolean>>;
  try {
    values = parseNodeArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new HelpRequested();
  const text = (key: keyof typeof spec): string | undefined => (typeof values[key] === 'string' ? (values[key] as string).trim() : undefined);
  const server = parseServer(text('server') ?? defaults.server);
  // The baked-in fingerprint belongs to the baked-in server; an explicit --ca means "verify by CA".
  const bakedFingerprint = !text('ca') && defaults.server && sameOrigin(server, defaults.server) ? defaults.fingerprint : undefined;
  const fingerprint = parseFingerprint(text('fingerprint') ?? bakedFingerprint);
  if (fingerprint && server.protocol !== 'https:') throw new UsageError('--fingerprint needs an https:// server.');
  return {
    server,
    pin: parsePin(text('pin')),
    joinCode: parseJoinCode(text('join')),
    channel: parseChannel(text('channel')),
    ports: text('ports') === undefined ? null : parsePorts(text('ports')!),
    caFile: text('ca') ? resolve(text('ca')!) : null,
    fingerprint,
    downloadDir: resolve(text('download-dir') ?? join(homedir(), 'Downloads', 'RescueBox')),
    maxFileBytes: parseMaxFile(text('max-file-mb')),
    script: values.script === true,
    lang: parseLang(text('lang'), env),
  };
}

function parseServer(value: string | undefined): URL {
  if (!value) throw new UsageError('--server is required (the address of the support appliance).');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    throw new UsageError(`--server: not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--server must be an https:// (or http://) URL.');
  if (url.username || url.password) throw new UsageError('--server must not contain a user name or password.');
  return new URL(url.origin);
}

function sameOrigin(server: URL, other: string): boolean {
  try {
    return parseServer(other).origin === server.origin;
  } catch {
    return false;
  }
}

/** A channel link token, given bare or as the link's URL (`…/pin?channel=cl1.…`). */
function parseChannel(value: string | undefined): string | null {
  if (value === undefined) return null;
  let token = value;
  if (/^https?:\/\//i.test(value)) {
    try {
      token = new URL(value).searchParams.get('channel') ?? '';
    } catch {
      token = '';
    }
  }
  if (!/^cl1\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{16,128}$/.test(token)) throw new UsageError('--channel: this is not a channel link.');
  return token;
}

function parsePin(value: string | undefined): string | null {
  if (value === undefined) return null;
  const pin = value.replace(/[\s-]/g, '');
  if (!/^[A-Za-z0-9]{4,32}$/.test(pin)) throw new UsageError('--pin: expected the 4 to 32 digits your technician gave you.');
  return pin;
}

function parseJoinCode(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value) || value.length > 2048) throw new UsageError('--join: this is not a join code.');
  return value;
}

/** A comma-separated list of TCP ports. */
export function parsePorts(value: string): number[] {
  const ports = value.split(',').map((item) => item.trim()).filter(Boolean).map(Number);
  if (ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new UsageError(`--ports: expected a comma-separated list of ports, got ${value}`);
  }
  return [...new Set(ports)];
}

/** A SHA-256 fingerprint as hex, with or without colons, any case → 64 lowercase hex digits. */
export function parseFingerprint(value: string | undefined): string | null {
  if (!value) return null;
  const hex = value.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new UsageError('--fingerprint: expected the SHA-256 of the server certificate (64 hex digits).');
  return hex;
}

function parseMaxFile(value: string | undefined): number {
  if (value === undefined) return 1024 * 1024 * 1024;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb <= 0 || mb > 1024 * 1024) throw new UsageError(`--max-file-mb: expected a positive number of megabytes, got ${value}`);
  return Math.floor(mb * 1024 * 1024);
}

function parseLang(value: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (value === undefined) return detectLang(env);
  if (!(languages as readonly string[]).includes(value)) throw new UsageError(`--lang: expected de or en, got ${value}`);
  return value as Lang;
}

/** The bundle's baked-in defaults (the appliance sets this global in the downloadable file). */
export function bundleDefaults(): BundleDefaults {
  const raw = (globalThis as { __RESCUEBOX_DEFAULTS__?: unknown }).__RESCUEBOX_DEFAULTS__;
  if (!raw || typeof raw !== 'object') return {};
  const { server, fingerprint, company } = raw as Record<string, unknown>;
  return { ...(typeof server === 'string' && { server }), ...(typeof fingerprint === 'string' && { fingerprint }), ...(typeof company === 'string' && { company }) };
}
