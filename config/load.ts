import { readFileSync } from 'node:fs';
import { configSchema, settings, type Config, type SettingKey } from './schema.js';

/** Raised when the configuration is invalid; its message names every bad key and its variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the configuration from an optional JSON file (CONFIG_FILE) and the environment.
 * Environment variables win over the file, so a container can override a baked-in file.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, setting] of Object.entries(settings)) {
    const value = env[setting.env];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const env = Object.hasOwn(settings, key) ? settings[key as SettingKey].env : key;
      return `  ${key} (${env}): ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return checkCombinations(result.data);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  configFile (CONFIG_FILE): cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  configFile (CONFIG_FILE): ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Invalid configuration:\n  configFile (CONFIG_FILE): ${path} must hold a JSON object`);
  }
  // hasOwn, not `in`: `in` would accept Object.prototype names such as "constructor".
  const unknownKeys = Object.keys(parsed).filter((key) => !Object.hasOwn(settings, key));
  if (unknownKeys.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${unknownKeys.map((k) => `  ${k}: unknown setting in ${path}`).join('\n')}`);
  }
  return parsed as Record<string, unknown>;
}

/** Rules that span two settings, which a per-key schema cannot express. */
function checkCombinations(config: Config): Config {
  const problems: string[] = [];
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
    problems.push('  tlsCert (TLS_CERT) / tlsKey (TLS_KEY): set both or neither');
  }
  if (Boolean(config.adminEmail) !== Boolean(config.adminPassword)) {
    problems.push('  adminEmail (ADMIN_EMAIL) / adminPassword (ADMIN_PASSWORD): set both or neither');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return config;
}
