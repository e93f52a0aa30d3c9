import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from './load.js';
import { configSchema, settings } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'rescuebox-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
/** Writes a config file into the temp dir and returns its path. */
function configFile(content: unknown): string {
  fileCounter += 1;
  const path = join(dir, `config-${fileCounter}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The ConfigError loadConfig throws for this environment (fails the test if it throws none). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('config defaults', () => {
  it('gives every documented default with an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.dataDir, './data');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 8443);
    assert.equal(config.tls, 'on');
    assert.equal(config.tlsCert, undefined);
    assert.equal(config.adminEmail, undefined);
    assert.equal(config.lockoutThreshold, 5);
    assert.equal(config.lockoutMinutes, 5);
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.sessionMaxHours, 12);
    assert.deepEqual(config.trustedProxies, []);
    assert.deepEqual(config.plugins, ['login-hours']);
    assert.deepEqual(config.pluginSettings, {});
    assert.deepEqual(config.agentPorts, [8200, 443, 80]);
    assert.equal(config.pinLength, 6);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.secureCookies, undefined);
  });

  it('does not read process.env when given an environment', () => {
    const saved = process.env.PORT;
    process.env.PORT = '1234';
    try {
      assert.equal(loadConfig({}).port, 8443);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ PORT: '', TLS: '' }).port, 8443);
  });

  it('gives every setting a distinct upper-case variable and a line of doc', () => {
    const envs = Object.values(settings).map((s) => s.env);
    assert.equal(new Set(envs).size, envs.length);
    for (const [key, s] of Object.entries(settings)) {
      assert.match(s.env, /^[A-Z][A-Z0-9_]*$/, key);
      assert.ok(s.doc.length > 10, `${key} has no doc`);
    }
    assert.deepEqual(Object.keys(configSchema.shape), Object.keys(settings));
  });
});

describe('config from the environment', () => {
  it('coerces numbers and enums from strings', () => {
    const config = loadConfig({ PORT: '9000', TLS: 'off', LOCKOUT_THRESHOLD: '3', LOG_LEVEL: 'debug', SECURE_COOKIES: 'yes' });
    assert.equal(config.port, 9000);
    assert.equal(config.tls, 'off');
    assert.equal(config.lockoutThreshold, 3);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.secureCookies, true);
    assert.equal(loadConfig({ SECURE_COOKIES: 'off' }).secureCookies, false);
  });

  it('splits comma lists and trims their items', () => {
    const config = loadConfig({ TRUSTED_PROXIES: ' 10.0.0.1, 192.168.0.0/16 ,,', PLUGINS: 'login-hours,ip-allowlist', PLUGIN_PATHS: '/opt/a.js', AGENT_PORTS: '443, 8200' });
    assert.deepEqual(config.trustedProxies, ['10.0.0.1', '192.168.0.0/16']);
    assert.deepEqual(config.plugins, ['login-hours', 'ip-allowlist']);
    assert.deepEqual(config.pluginPaths, ['/opt/a.js']);
    assert.deepEqual(config.agentPorts, [443, 8200]);
  });

  it('parses PLUGIN_SETTINGS as a JSON object', () => {
    const config = loadConfig({ PLUGIN_SETTINGS: '{"login-hours":{"from":"08:00"}}' });
    assert.deepEqual(config.pluginSettings, { 'login-hours': { from: '08:00' } });
  });

  const badValues: Array<[env: string, value: string, key: string]> = [
    ['PORT', '70000', 'port'],
    ['PORT', '-1', 'port'],
    ['PORT', '80.5', 'port'],
    ['TLS', 'maybe', 'tls'],
    ['LOCKOUT_THRESHOLD', 'abc', 'lockoutThreshold'],
    ['LOCKOUT_THRESHOLD', '0', 'lockoutThreshold'],
    ['SECURE_COOKIES', 'sometimes', 'secureCookies'],
    ['PUBLIC_URL', 'not a url', 'publicUrl'],
    ['ADMIN_EMAIL', 'not-an-email', 'adminEmail'],
    ['LOG_LEVEL', 'loud', 'logLevel'],
    ['AGENT_PORTS', '443,99999', 'agentPorts'],
    ['PLUGIN_SETTINGS', '{not json', 'pluginSettings'],
    ['PLUGIN_SETTINGS', '[1,2]', 'pluginSettings'],
    ['PLUGIN_SETTINGS', '"text"', 'pluginSettings'],
  ];
  for (const [env, value, key] of badValues) {
    it(`refuses ${env}=${value} naming the key and the variable`, () => {
      const error = configError({ [env]: value, ...(env === 'ADMIN_EMAIL' && { ADMIN_PASSWORD: 'x' }) });
      assert.match(error.message, new RegExp(`\\b${key} \\(${env}\\)`));
    });
  }

  it('names every bad setting at once', () => {
    const error = configError({ PORT: '70000', TLS: 'maybe', LOCKOUT_THRESHOLD: 'abc' });
    assert.match(error.message, /port \(PORT\)/);
    assert.match(error.message, /tls \(TLS\)/);
    assert.match(error.message, /lockoutThreshold \(LOCKOUT_THRESHOLD\)/);
  });

  it('refuses TLS_CERT without TLS_KEY and the other way round', () => {
    assert.match(configError({ TLS_CERT: '/etc/cert.pem' }).message, /TLS_CERT.*TLS_KEY/);
    assert.match(configError({ TLS_KEY: '/etc/key.pem' }).message, /TLS_CERT.*TLS_KEY/);
    const both = loadConfig({ TLS_CERT: '/etc/cert.pem', TLS_KEY: '/etc/key.pem' });
    assert.equal(both.tlsCert, '/etc/cert.pem');
  });

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD and the other way round', () => {
    assert.match(configError({ ADMIN_EMAIL: 'admin@example.test' }).message, /ADMIN_EMAIL.*ADMIN_PASSWORD/);
    assert.match(configError({ ADMIN_PASSWORD: 'Correct-horse-battery-1' }).message, /ADMIN_EMAIL.*ADMIN_PASSWORD/);
  });
});

describe('config file', () => {
  it('reads typed values from the file', () => {
    const path = configFile({ port: 9443, tls: 'off', trustedProxies: ['10.1.0.0/16'], pluginSettings: { 'login-hours': { tz: 'UTC' } }, secureCookies: true });
    const config = loadConfig({ CONFIG_FILE: path });
    assert.equal(config.configFile, path);
    assert.equal(config.port, 9443);
    assert.equal(config.tls, 'off');
    assert.deepEqual(config.trustedProxies, ['10.1.0.0/16']);
    assert.deepEqual(config.pluginSettings, { 'login-hours': { tz: 'UTC' } });
    assert.equal(config.secureCookies, true);
    assert.equal(config.lockoutThreshold, 5, 'what the file leaves out keeps its default');
  });

  it('lets the environment win over the file', () => {
    const path = configFile({ port: 9443, tls: 'off', plugins: ['a', 'b'], lockoutThreshold: 7 });
    const config = loadConfig({ CONFIG_FILE: path, PORT: '10443', PLUGINS: 'c' });
    assert.equal(config.port, 10443);
    assert.deepEqual(config.plugins, ['c']);
    assert.equal(config.tls, 'off');
    assert.equal(config.lockoutThreshold, 7);
  });

  it('refuses an unknown key, naming it and the file', () => {
    const path = configFile({ port: 9443, lockoutTreshold: 3 });
    const error = configError({ CONFIG_FILE: path });
    assert.match(error.message, /lockoutTreshold/);
    assert.ok(error.message.includes(path));
  });

  it('refuses keys that only exist on Object.prototype', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const error = configError({ CONFIG_FILE: configFile(`{"${key}": 1}`) });
      assert.match(error.message, new RegExp(`${key}: unknown setting`));
    }
  });

  it('refuses environment variable names used as keys', () => {
    assert.match(configError({ CONFIG_FILE: configFile({ PORT: 9443 }) }).message, /PORT: unknown setting/);
  });

  it('checks file values like environment values, naming the key and its variable', () => {
    const error = configError({ CONFIG_FILE: configFile({ port: 70000, tls: true }) });
    assert.match(error.message, /port \(PORT\)/);
    assert.match(error.message, /tls \(TLS\)/);
  });

  it('refuses invalid JSON, naming CONFIG_FILE and the path', () => {
    const path = configFile('{"port": 9443,');
    const error = configError({ CONFIG_FILE: path });
    assert.match(error.message, /configFile \(CONFIG_FILE\)/);
    assert.match(error.message, /not valid JSON/);
    assert.ok(error.message.includes(path));
  });

  it('refuses a file that holds no JSON object', () => {
    for (const content of ['[]', '42', 'null']) {
      assert.match(configError({ CONFIG_FILE: configFile(content) }).message, /must hold a JSON object/);
    }
  });

  it('refuses a missing file, naming CONFIG_FILE', () => {
    const error = configError({ CONFIG_FILE: join(dir, 'missing.json') });
    assert.match(error.message, /configFile \(CONFIG_FILE\): cannot read/);
  });

  it('checks combinations across file and environment', () => {
    const path = configFile({ tlsCert: '/etc/cert.pem' });
    assert.match(configError({ CONFIG_FILE: path }).message, /TLS_KEY/);
    assert.equal(loadConfig({ CONFIG_FILE: path, TLS_KEY: '/etc/key.pem' }).tlsKey, '/etc/key.pem');
  });
});
