import { createPrivateKey, createPublicKey, hkdfSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { builtinPlugins } from '../plugins/index.js';
import { generateSigningKey } from '../relay/tickets.js';
import { hasAccountAdmin, insertUser, findUserRowByEmail } from './accounts/users.js';
import { AuditLog } from './audit/audit-log.js';
import { checkpointKey } from './audit/checkpoints.js';
import { Lockout } from './auth/lockout.js';
import { hashPassword } from './auth/password-hash.js';
import { checkPassword } from './auth/password-policy.js';
import { openDatabase } from './db/open.js';
import { applianceSecret } from './secrets/appliance-secrets.js';
import { openKeyring } from './secrets/keyring.js';
import { sealLegacyPluginSecrets } from './secrets/rotate.js';
import type { Services } from './http/env.js';
import { ipMatcher } from './http/middleware/client-ip.js';
import { PinBudgets } from './http/middleware/pin-budget.js';
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
  const db = await openDatabase(options.inMemory ? ':memory:' : config.dataDir, config.sqliteSynchronous);
  try {
    const { vault, master } = await openKeyring(db, config, clock.now(), { ephemeral: options.inMemory ?? false });
    if (master?.created) {
      logger.warn({ masterKeyFile: master.file }, 'generated the master key that encrypts every stored secret: keep a copy of this file apart from the data dir and its backups (without it the secrets cannot be opened)');
    }
    const secret = (name: string, make: () => Buffer, legacy: string) => applianceSecret(db, vault, name, make, clock.now(), options.inMemory ? undefined : join(config.dataDir, legacy));
    const random32 = () => randomBytes(32);
    const pluginKey = await secret('plugin-root-key', random32, 'plugin.key');
    const deriveKey = (label: string) => Buffer.from(hkdfSync('sha256', pluginKey, Buffer.alloc(0), label, 32));
    await sealLegacyPluginSecrets(db, vault);
    const audit = new AuditLog(db, clock);
    const pipeline = new PolicyPipeline(audit, clock, logger);
    const host = createPluginHost({ config, db, clock, logger, audit, vault, deriveKey }, pipeline);
    const builtins = instantiatePlugins(builtinPlugins, host).map((plugin) => assertPlugin(plugin, `plugins/${plugin.id}`));
    const plugins = new PluginManager([...builtins, ...(await loadPluginsFromPaths(config.pluginPaths, host))], config, db, clock, pipeline, vault);
    await plugins.sealLegacySecrets();
    await plugins.apply();
    const signingPem = (await secret('signing-key', () => Buffer.from(generateSigningKey().privatePem), 'signing-key.pem')).toString('utf8');
    const services: Services = {
      config, db, clock, logger, audit, pipeline, vault,
      checkpointKey: await checkpointKey(db, vault, clock.now()),
      csrfKey: await secret('csrf-key', random32, 'csrf.key'),
      pinKey: await secret('pin-key', random32, 'pin.key'),
      signing: signingKey(signingPem, options.inMemory ? null : join(config.dataDir, 'signing-key.pub.pem')),
      loginLimiter: new RateLimiter(config.loginRateLimit, 60_000, () => clock.now()),
      pinBudgets: new PinBudgets({ perIp: config.pinRateLimitPerIp, lanes: { public: config.pinRateLimitGlobal, 'web-form': config.pinRateLimitWebForm, 'trusted-range': config.pinRateLimitTrusted } }, () => clock.now()),
      pinTrusted: trustedRanges(config.pinTrustedRanges),
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

/** The matcher of PIN_TRUSTED_RANGES; a bad entry stops the start, naming the setting. */
function trustedRanges(ranges: readonly string[]): (ip: string) => boolean {
  try {
    return ipMatcher(ranges);
  } catch (error) {
    throw new Error(`pinTrustedRanges (PIN_TRUSTED_RANGES): ${(error as Error).message}`);
  }
}

/** The Ed25519 signing key; its public half is also written for a relay started on its own (RELAY_PUBLIC_KEY_FILE). */
function signingKey(privatePem: string, publicFile: string | null): Services['signing'] {
  const privateKey = createPrivateKey(privatePem);
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  // Public, so 0644 is right: the relay can check tickets with it, never mint them.
  if (publicFile) writeFileSync(publicFile, publicPem, { mode: 0o644 });
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
