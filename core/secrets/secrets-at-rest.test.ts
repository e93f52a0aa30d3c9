import assert from 'node:assert/strict';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { pluginSecret } from '../../plugins/company-pin/secrets.js';
import { bootAppliance, type Appliance } from '../boot.js';
import { runCli } from '../cli/cli.js';
import { createApp } from '../http/app.js';
import { loadTls } from '../server/tls.js';
import { ManualClock } from '../support/clock.js';
import { createLogger } from '../support/logger.js';
import { buildUser, TestClient, type TestAppliance } from '../testing/appliance.js';
import { applianceSecret } from './appliance-secrets.js';
import { MasterKeyError } from './master-key.js';

const root = mkdtempSync(join(tmpdir(), 'rb-at-rest-'));
after(() => rmSync(root, { recursive: true, force: true }));

const LDAP_PASSWORD = 'Ldap-Service-Secret-7f3a9c';
const OIDC_SECRET = 'oidc-client-secret-Zq8v3LmN0pXr';
const oidcSettings = { providers: [{ id: 'corp', label: 'Corp', issuer: 'https://idp.example.test', clientId: 'rb' }], clientSecrets: { corp: OIDC_SECRET } };
const ldapSettings = { url: 'ldaps://ldap.example.test', baseDn: 'dc=example,dc=test', serviceDn: 'cn=svc,dc=example,dc=test', servicePassword: LDAP_PASSWORD };

const config = (dataDir: string, extra: Record<string, string> = {}): Config => loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PLUGINS: 'totp', ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', ...extra });
const boot = (c: Config) => bootAppliance(c, { clock: new ManualClock(), logger: createLogger('silent') });

/** Every file below a directory, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The spellings a secret could be stored in: its bytes, hex, base64, base64url (and its text). */
function spellings(secret: Buffer | string): Buffer[] {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  const forms = [bytes, Buffer.from(bytes.toString('hex')), Buffer.from(bytes.toString('base64')), Buffer.from(bytes.toString('base64url'))];
  if (typeof secret === 'string' && /^[A-Za-z0-9_-]{16,}$/.test(secret)) forms.push(Buffer.from(secret, 'base64url'));
  return forms.map((f) => f.subarray(0, 24)).filter((f) => f.length >= 12);
}

/** Names of the secrets whose any spelling occurs in any file of the data dir. */
function foundIn(dataDir: string, secrets: Record<string, Buffer | string>): string[] {
  const blobs = files(dataDir).map((f) => readFileSync(f));
  return Object.entries(secrets).filter(([, s]) => spellings(s).some((form) => blobs.some((b) => b.includes(form)))).map(([name]) => name);
}

/** The appliance's known secrets, read back through the code that uses them. */
async function knownSecrets(a: Appliance, tlsKey: string, totpSeed: string): Promise<Record<string, Buffer | string>> {
  const s = a.services;
  const plugin = (id: string, name: string) => pluginSecret(s, id, name, 0);
  // The private scalars (JWK `d`): the public halves are public (certificate, .pub.pem).
  const scalar = (key: KeyObject) => Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url');
  return {
    ldapServicePassword: LDAP_PASSWORD, oidcClientSecret: OIDC_SECRET, totpSeed, csrfKey: s.csrfKey, pinKey: s.pinKey,
    pluginRootKey: await applianceSecret(s.db, s.vault, 'plugin-root-key', () => { throw new Error('exists'); }, 0),
    signingKey: scalar(s.signing.privateKey), tlsKey: scalar(createPrivateKey(tlsKey)),
    linkKey: await plugin('company-pin', 'link-key'), sealKey: await plugin('company-pin', 'seal-key'), formKey: await plugin('domain-validation', 'form-key'),
  };
}

describe('secrets at rest', () => {
  const dataDir = join(root, 'data');
  const keyFile = `${dataDir}.master.key`;
  let secrets: Record<string, Buffer | string>;

  test('no stored secret appears in the raw bytes of the database (-wal, -shm) or any file of the data dir; files 0600, dir 0700', async () => {
    const appliance = await boot(config(dataDir));
    const { app } = createApp(appliance.services, appliance.plugins);
    const t = { ...appliance, app } as unknown as TestAppliance;
    await appliance.plugins.change('ldap', { settings: ldapSettings, enabled: false }, 'test');
    await appliance.plugins.change('oidc', { settings: oidcSettings, enabled: false }, 'test');
    const { user, password } = await buildUser(t, { role: 'technician' });
    const client = new TestClient(t);
    assert.equal((await client.login(user.email, password)).status, 200);
    const enrol = await client.request('POST', '/api/v1/plugins/totp/enrolment');
    assert.equal(enrol.status, 200);
    const { secret: totpSeed } = (await enrol.json()) as { secret: string };
    const tls = await loadTls(appliance.services.config, { db: appliance.services.db, vault: appliance.services.vault, now: 0 });
    secrets = await knownSecrets(appliance, tls.key, totpSeed);
    const masterKey = readFileSync(keyFile, 'utf8').trim();
    try {
      assert.ok(existsSync(join(dataDir, 'appliance.db-wal')), 'the WAL exists while open');
      assert.deepEqual(foundIn(dataDir, { ...secrets, masterKey: Buffer.from(masterKey, 'base64') }), []);
      for (const name of ['appliance.db', 'appliance.db-wal', 'appliance.db-shm']) assert.equal(statSync(join(dataDir, name)).mode & 0o777, 0o600, name);
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      // The control: the same search finds a secret that is there (the LDAP password, once written in clear).
      writeFileSync(join(root, 'control.bin'), Buffer.concat([Buffer.alloc(100), Buffer.from(LDAP_PASSWORD)]));
      assert.deepEqual(foundIn(root, { ldap: LDAP_PASSWORD }), ['ldap']);
      rmSync(join(root, 'control.bin'));
      // …and the secrets still work: the console's settings open, a TOTP code for the seed exists.
      const ldap = (await appliance.plugins.list({ revealSecrets: true })).find((p) => p.id === 'ldap')!;
      assert.equal((ldap.settings as { servicePassword: string }).servicePassword, LDAP_PASSWORD);
      const oidc = (await appliance.plugins.list({ revealSecrets: true })).find((p) => p.id === 'oidc')!;
      assert.deepEqual((oidc.settings as { clientSecrets: Record<string, string> }).clientSecrets, { corp: OIDC_SECRET });
    } finally {
      await appliance.services.db.destroy();
    }
    assert.deepEqual(foundIn(dataDir, secrets), []);
  });

  test('starting without the master key, or with another one, stops with a message that says what to do', async () => {
    const saved = readFileSync(keyFile);
    rmSync(keyFile);
    await assert.rejects(boot(config(dataDir)), (e) => e instanceof MasterKeyError && /No master key: .*data\.master\.key \(MASTER_KEY_FILE\) does not exist.*Restore the key file/s.test(e.message));
    assert.equal(existsSync(keyFile), false, 'no new key made for a database that holds sealed secrets');
    await assert.rejects(boot(config(dataDir, { MASTER_KEY: Buffer.alloc(32, 7).toString('base64') })), (e) => e instanceof MasterKeyError && /is not the key this database's secrets were sealed with/.test(e.message));
    await assert.rejects(boot(config(dataDir, { MASTER_KEY: 'too-short' })), (e) => e instanceof MasterKeyError && /MASTER_KEY does not hold a master key/.test(e.message));
    writeFileSync(keyFile, saved, { mode: 0o600 });
    await assert.rejects(boot(config(dataDir, { MASTER_KEY: saved.toString('utf8').trim() })).then((a) => a.services.db.destroy()).then(() => { throw new Error('started'); }), /started/);
  });

  test('rescuebox keys rotate re-seals everything under a new key; the old key no longer opens the database; secrets keep their values', async () => {
    const oldKey = readFileSync(keyFile, 'utf8');
    let out = '';
    const code = await runCli(['keys', 'rotate'], { env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, out: (t) => { out += t; }, err: (t) => { out += t; } });
    assert.equal(code, 0, out);
    assert.match(out, /Master key rotated: \w+ → \w+; re-sealed \d+ appliance secrets, 3 plugin secrets, 2 plugin settings/);
    assert.notEqual(readFileSync(keyFile, 'utf8'), oldKey);
    assert.equal(existsSync(`${keyFile}.next`), false);
    const appliance = await boot(config(dataDir));
    try {
      const again = await knownSecrets(appliance, (await loadTls(appliance.services.config, { db: appliance.services.db, vault: appliance.services.vault, now: 0 })).key, secrets.totpSeed as string);
      assert.deepEqual(again, secrets);
      const oidc = (await appliance.plugins.list({ revealSecrets: true })).find((p) => p.id === 'oidc')!;
      assert.deepEqual((oidc.settings as { clientSecrets: Record<string, string> }).clientSecrets, { corp: OIDC_SECRET });
      const audit = await appliance.services.db.selectFrom('audit_log').select('action').where('action', '=', 'cli.master_key_rotated').execute();
      assert.equal(audit.length, 1);
    } finally {
      await appliance.services.db.destroy();
    }
    await assert.rejects(boot(config(dataDir, { MASTER_KEY: oldKey.trim() })), MasterKeyError);
  });

  test('an older data dir is taken over: key files and plain plugin secrets are sealed, the files deleted', async () => {
    const legacyDir = join(root, 'legacy');
    const first = await boot(config(legacyDir));
    await first.services.db.insertInto('plugin_secrets').values({ plugin_id: 'company-pin', name: 'link-key', value: 'plain-link-key-0123456789abcdef', created_at: 0 }).execute();
    await first.services.db.insertInto('plugin_settings').values({ plugin_id: 'ldap', enabled: 0, position: 9, settings: JSON.stringify(ldapSettings), updated_at: 0, updated_by: null }).execute();
    await first.services.db.deleteFrom('appliance_secrets').where('name', '=', 'csrf-key').execute();
    await first.services.db.destroy();
    writeFileSync(join(legacyDir, 'csrf.key'), Buffer.alloc(32, 9), { mode: 0o644 });
    const second = await boot(config(legacyDir));
    try {
      assert.deepEqual(second.services.csrfKey, Buffer.alloc(32, 9));
      assert.equal(existsSync(join(legacyDir, 'csrf.key')), false);
      assert.equal(await pluginSecret(second.services, 'company-pin', 'link-key', 0), 'plain-link-key-0123456789abcdef');
    } finally {
      await second.services.db.destroy();
    }
    assert.deepEqual(foundIn(legacyDir, { link: 'plain-link-key-0123456789abcdef', ldap: LDAP_PASSWORD, csrf: Buffer.alloc(32, 9) }), []);
  });
});
