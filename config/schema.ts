import { z } from 'zod';

/**
 * Every setting of the appliance, in one table. Each entry names its key (as used in the
 * config file), its environment variable, its schema (with default) and a line for the README.
 * The README's configuration table is generated from this list, so they never drift apart.
 */
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])]).transform((v) =>
  typeof v === 'boolean' ? v : ['true', '1', 'on', 'yes'].includes(v),
);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

const portList = list.transform((items, ctx) => items.map((item) => {
  const port = Number(item);
  if (!Number.isInteger(port) || port < 1 || port > 65535) ctx.addIssue({ code: 'custom', message: `not a port: ${item}` });
  return port;
}));

export const settings = {
  configFile: { env: 'CONFIG_FILE', schema: z.string().optional(), doc: 'Path of an optional JSON config file; environment variables override it.' },
  dataDir: { env: 'DATA_DIR', schema: z.string().min(1).default('./data'), doc: 'Directory for the database, the generated TLS certificate and uploads.' },
  host: { env: 'HOST', schema: z.string().min(1).default('0.0.0.0'), doc: 'Address to listen on.' },
  port: { env: 'PORT', schema: int(0, 65535).default(8443), doc: 'Port to listen on (0 picks a free port).' },
  tls: { env: 'TLS', schema: z.enum(['on', 'off']).default('on'), doc: '`on`: HTTPS (self-signed certificate generated on first start unless TLS_CERT/TLS_KEY are set); `off`: plain HTTP behind a reverse proxy.' },
  tlsCert: { env: 'TLS_CERT', schema: z.string().optional(), doc: 'PEM certificate file (with TLS_KEY) instead of the self-signed one.' },
  tlsKey: { env: 'TLS_KEY', schema: z.string().optional(), doc: 'PEM private key file for TLS_CERT.' },
  codeSigningCert: { env: 'CODE_SIGNING_CERT', schema: z.string().optional(), doc: 'PEM code-signing certificate (chain) for an Authenticode signature on the Windows support program (with CODE_SIGNING_KEY).' },
  codeSigningKey: { env: 'CODE_SIGNING_KEY', schema: z.string().optional(), doc: 'PEM private key file for CODE_SIGNING_CERT.' },
  publicUrl: { env: 'PUBLIC_URL', schema: z.url().optional(), doc: 'External URL of the appliance, used in links it prints (setup link). Defaults to the listen address.' },
  adminEmail: { env: 'ADMIN_EMAIL', schema: z.email().optional(), doc: 'First run: e-mail of the first account admin (with ADMIN_PASSWORD).' },
  adminPassword: { env: 'ADMIN_PASSWORD', schema: z.string().optional(), doc: 'First run: password of the first account admin. Without both, a one-time setup link is logged.' },
  lockoutThreshold: { env: 'LOCKOUT_THRESHOLD', schema: int(1, 100).default(5), doc: 'Consecutive failed logins that lock an account.' },
  lockoutMinutes: { env: 'LOCKOUT_MINUTES', schema: int(1, 1440).default(5), doc: 'How long a locked account stays locked.' },
  sessionIdleMinutes: { env: 'SESSION_IDLE_MINUTES', schema: int(1, 1440).default(30), doc: 'A login session ends after this much inactivity.' },
  sessionMaxHours: { env: 'SESSION_MAX_HOURS', schema: int(1, 720).default(12), doc: 'A login session ends this long after login, active or not.' },
  loginRateLimit: { env: 'LOGIN_RATE_LIMIT', schema: int(1, 10000).default(20), doc: 'Login attempts allowed per client IP per minute (on top of the per-account lockout).' },
  trustedProxies: { env: 'TRUSTED_PROXIES', schema: list.default([]), doc: 'Comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed; from anyone else it is ignored.' },
  plugins: { env: 'PLUGINS', schema: list.default(['login-hours']), doc: 'Ordered, comma-separated policy plugin ids to enable (the admin console can change this later).' },
  pluginPaths: { env: 'PLUGIN_PATHS', schema: list.default([]), doc: 'Comma-separated paths of outside plugin modules (each default-exports one plugin object).' },
  pluginSettings: { env: 'PLUGIN_SETTINGS', schema: z.union([z.string(), z.record(z.string(), z.unknown())]).transform(parseJsonObject).default({}), doc: 'JSON object: plugin id → that plugin\'s settings.' },
  pinLength: { env: 'PIN_LENGTH', schema: int(6, 12).default(6), doc: 'Digits of a support-session PIN.' },
  pinTtlMinutes: { env: 'PIN_TTL_MINUTES', schema: int(1, 1440).default(20), doc: 'How long a PIN can be redeemed after it was issued.' },
  pinRateLimitPerIp: { env: 'PIN_RATE_LIMIT_PER_IP', schema: int(1, 10000).default(10), doc: 'PIN attempts allowed per client IP per minute.' },
  pinRateLimitGlobal: { env: 'PIN_RATE_LIMIT_GLOBAL', schema: int(1, 1000000).default(300), doc: 'PIN attempts allowed per minute from all clients together on the open PIN routes (agent, PIN page); when used up, an alarm goes to the audit log.' },
  pinRateLimitWebForm: { env: 'PIN_RATE_LIMIT_WEB_FORM', schema: int(1, 1000000).default(300), doc: 'PIN attempts allowed per minute through the company\'s hosted PIN forms (approved origin and valid form token): their own budget, untouched by floods on the open routes.' },
  pinTrustedRanges: { env: 'PIN_TRUSTED_RANGES', schema: list.default([]), doc: 'Comma-separated IPs/CIDRs of the company\'s known networks: PINs from there use their own budget (no per-IP limit, for NATed offices).' },
  pinRateLimitTrusted: { env: 'PIN_RATE_LIMIT_TRUSTED', schema: int(1, 1000000).default(300), doc: 'PIN attempts allowed per minute from PIN_TRUSTED_RANGES together.' },
  relayPort: { env: 'RELAY_PORT', schema: int(0, 65535).default(8200), doc: 'Extra port on which the appliance also serves the relay for agents (0: none; the main port always serves it).' },
  agentPorts: { env: 'AGENT_PORTS', schema: portList.default([8200, 443, 80]), doc: 'Relay ports agents try in parallel (the first to answer wins), as reachable from customers.' },
  relayIdleMinutes: { env: 'RELAY_IDLE_MINUTES', schema: int(1, 1440).default(30), doc: 'A support session with no traffic for this long is closed by the relay.' },
  sqliteSynchronous: { env: 'SQLITE_SYNCHRONOUS', schema: z.enum(['normal', 'full']).default('normal'), doc: '`normal`: every answered write survives a crash of the appliance (kill -9), the last ones may be lost on power loss; `full`: also on power loss, at an fsync per write (about 15× slower writes).' },
  logLevel: { env: 'LOG_LEVEL', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), doc: 'Log level of the JSON log on stdout.' },
  secureCookies: { env: 'SECURE_COOKIES', schema: bool.optional(), doc: 'Force the Secure cookie flag (default: on with TLS=on; set it when TLS ends at a proxy).' },
  smtpHost: { env: 'SMTP_HOST', schema: z.string().min(1).optional(), doc: 'SMTP server for service-desk e-mail notifications (none sent without it).' },
  smtpPort: { env: 'SMTP_PORT', schema: int(1, 65535).default(587), doc: 'Port of the SMTP server.' },
  smtpSecurity: { env: 'SMTP_SECURITY', schema: z.enum(['starttls', 'tls', 'none']).default('starttls'), doc: '`starttls`: upgrade required; `tls`: TLS from the start (port 465); `none`: plain text (only on a trusted network).' },
  smtpUser: { env: 'SMTP_USER', schema: z.string().min(1).optional(), doc: 'SMTP login user (with SMTP_PASSWORD); no authentication without it.' },
  smtpPassword: { env: 'SMTP_PASSWORD', schema: z.string().min(1).optional(), doc: 'SMTP login password.' },
  smtpFrom: { env: 'SMTP_FROM', schema: z.string().min(3).default('RescueBox <rescuebox@localhost>'), doc: 'Sender address of notification e-mails.' },
  auditSyslogUrl: { env: 'AUDIT_SYSLOG_URL', schema: z.string().regex(/^(tcp|tls):\/\/[^/]+:\d+$/, 'expected tcp://host:port or tls://host:port').optional(), doc: 'Forward every audit entry as RFC 5424 syslog (octet-counted) to `tcp://host:port` or `tls://host:port` (TLS verifies the receiver).' },
  auditJsonUrl: { env: 'AUDIT_JSON_URL', schema: z.string().regex(/^((tcp|tls):\/\/[^/]+:\d+|file:\/\/\/.+)$/, 'expected tcp://host:port, tls://host:port or file:///path').optional(), doc: 'Forward every audit entry as one JSON line (for SIEMs) to `tcp://`, `tls://` or append it to `file:///path`.' },
  auditCheckpointMinutes: { env: 'AUDIT_CHECKPOINT_MINUTES', schema: int(0, 10_080).default(15), doc: 'Minutes between signed (Ed25519) checkpoints of the audit chain head, made when the log grew (0: only on demand).' },
  masterKeyFile: { env: 'MASTER_KEY_FILE', schema: z.string().min(1).optional(), doc: 'File holding the master key (32 bytes, base64) that encrypts every stored secret (AES-256-GCM). Default: `<DATA_DIR>.master.key` beside, never inside, the data dir; created on the first start. Keep it apart from backups of the data dir.' },
  masterKey: { env: 'MASTER_KEY', schema: z.string().min(1).optional(), doc: 'The master key itself (base64 of 32 bytes), instead of MASTER_KEY_FILE (e.g. from a secrets manager).' },
  auditForwardCa: { env: 'AUDIT_FORWARD_CA', schema: z.string().optional(), doc: 'PEM file of the CA trusted for `tls://` audit targets (default: the system CAs).' },
} as const;

function parseJsonObject(value: string | Record<string, unknown>, ctx: z.RefinementCtx): Record<string, unknown> {
  if (typeof value !== 'string') return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
  return z.NEVER;
}

type Settings = typeof settings;
export type SettingKey = keyof Settings;

export const configSchema = z.object(
  Object.fromEntries(Object.entries(settings).map(([key, s]) => [key, s.schema])) as { [K in SettingKey]: Settings[K]['schema'] },
);

/** The validated configuration the whole appliance runs with. */
export type Config = z.output<typeof configSchema>;
