import { createPrivateKey, createPublicKey, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { builtinPlugins } from '../plugins/index.js';
import { generateSigningKey } from '../relay/tickets.js';
import { hasAccountAdmin, insertUser, findUserRowByEmail } from './accounts/users.js';
import { AuditLog } from './audit/audit-log.js';
import { Lockout } from './auth/lockout.js';
import { hashPassword } from './auth/password-hash.js';
import { checkPassword } from './auth/password-policy.js';
import { openDatabase } from './db/open.js';
import type { Services } from './http/env.js';
import { RateLimiter } from './http/middleware/rate-limit.js';
import { createPluginHost, instantiatePlugins } from './policy/host.js';
import { assertPlugin, loadPluginsFromPaths } from './policy/loader.js';
import { PolicyPipeline } from './policy/pipeline.js';
import { PluginManager } from './policy/plugin-manager.js';
import { systemClock, type Clock } from './support/clock.js';
import { createLogger, type Logger } from './support/logger.js';
import { newToken } from './support/secrets.js';

/** Options for building the appliance; tests pass an in-memory database and a manual clock. */
export interface BootOptions {
  clock?: Clock;
  logger?: Logger;
  inMemory?: boolean;
}

/** The running appliance's parts, before any socket is opened. */
export interface Appliance {
  services: Services;
  plugins: PluginManager;
}

/**
 * Builds every service from the config: database (migrated), audit log, plugins (validated,
 * fail closed), lockout, rate limits, and the first account admin or a one-time setup token.
 */
export async function bootAppliance(config: Config, options: BootOptions = {}): Promise<Appliance> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await openDatabase(options.inMemory ? ':memory:' : config.dataDir);
  try {
    const audit = new AuditLog(db, clock);
    const pipeline = new PolicyPipeline(audit, clock, logger);
    const pluginKey = options.inMemory ? randomBytes(32) : loadOrCreateKey(join(config.dataDir, 'plugin.key'));
    const deriveKey = (label: string) => Buffer.from(hkdfSync('sha256', pluginKey, Buffer.alloc(0), label, 32));
    const host = createPluginHost({ config, db, clock, logger, audit, deriveKey }, pipeline);
    const builtins = instantiatePlugins(builtinPlugins, host).map((plugin) => assertPlugin(plugin, `plugins/${plugin.id}`));
    const plugins = new PluginManager([...builtins, ...(await loadPluginsFromPaths(config.pluginPaths, host))], config, db, clock, pipeline);
    await plugins.apply();
    const services: Services = {
      config, db, clock, logger, audit, pipeline,
      csrfKey: options.inMemory ? randomBytes(32) : loadOrCreateKey(join(config.dataDir, 'csrf.key')),
      pinKey: options.inMemory ? randomBytes(32) : loadOrCreateKey(join(config.dataDir, 'pin.key')),
      signing: loadOrCreateSigningKey(options.inMemory ? null : join(config.dataDir, 'signing-key.pem')),
      loginLimiter: new RateLimiter(config.loginRateLimit, 60_000, () => clock.now()),
      pinLimiter: new RateLimiter(config.pinRateLimitPerIp, 60_000, () => clock.now()),
      pinGlobalLimiter: new RateLimiter(config.pinRateLimitGlobal, 60_000, () => clock.now()),
      relay: null,
      tlsFingerprint: null,
      lockout: new Lockout(db, clock, { threshold: config.lockoutThreshold, durationMs: config.lockoutMinutes * 60_000 }),
      setup: { token: null },
    };
    await firstRun(services);
    return { services, plugins };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

function loadOrCreateKey(file: string): Buffer {
  if (existsSync(file)) return readFileSync(file);
  const key = randomBytes(32);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

function loadOrCreateSigningKey(file: string | null): Services['signing'] {
  let privatePem: string;
  if (file && existsSync(file)) {
    privatePem = readFileSync(file, 'utf8');
  } else {
    privatePem = generateSigningKey().privatePem;
    if (file) writeFileSync(file, privatePem, { mode: 0o600 });
  }
  const privateKey = createPrivateKey(privatePem);
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  // The public half, for a relay started on its own (RELAY_PUBLIC_KEY_FILE): it can check tickets, never mint them.
  if (file) writeFileSync(file.replace(/\.pem$/, '.pub.pem'), publicPem, { mode: 0o644 });
  return { privateKey, publicPem };
}

/** Creates the first account admin from ADMIN_EMAIL/ADMIN_PASSWORD, or arms the one-time setup link. */
async function firstRun(services: Services): Promise<void> {
  const { config, db, clock, audit } = services;
  if (await hasAccountAdmin(db)) return;
  if (config.adminEmail && config.adminPassword) {
    const problem = checkPassword(config.adminPassword, config.adminEmail);
    if (problem) throw new Error(`adminPassword (ADMIN_PASSWORD): ${problem.message}`);
    if (await findUserRowByEmail(db, config.adminEmail)) throw new Error(`adminEmail (ADMIN_EMAIL): ${config.adminEmail} exists but is not an account admin`);
    const user = await insertUser(db, clock, { email: config.adminEmail, role: 'account_admin', passwordHash: await hashPassword(config.adminPassword), displayName: 'Administrator' });
    await audit.record({ action: 'setup.first_admin', outcome: 'success', actorId: user.id, actorEmail: user.email, targetType: 'user', targetId: user.id, details: { via: 'ADMIN_EMAIL' } });
    services.logger.info({ email: user.email }, 'first account admin created from ADMIN_EMAIL');
    return;
  }
  services.setup.token = newToken();
}
