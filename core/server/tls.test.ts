import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../config/load.js';
import { openDatabase, type DB } from '../db/open.js';
import { Vault } from '../secrets/vault.js';
import { generateSelfSigned, loadTls } from './tls.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'rescuebox-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('generateSelfSigned', () => {
  let cert: X509Certificate;
  let key: string;
  before(async () => {
    const pem = await generateSelfSigned(['localhost', 'box.example.test', 'localhost'], ['127.0.0.1', '::1']);
    cert = new X509Certificate(pem.cert);
    key = pem.key;
  });

  it('names localhost, the other host and the loopback addresses', () => {
    const san = cert.subjectAltName ?? '';
    assert.match(san, /DNS:localhost\b/);
    assert.match(san, /DNS:box\.example\.test\b/);
    assert.match(san, /IP Address:127\.0\.0\.1\b/);
    assert.match(san, /IP Address:(::1|0:0:0:0:0:0:0:1)\b/);
    assert.equal(san.match(/DNS:localhost\b/g)?.length, 1, 'duplicate names appear once');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.match(cert.subject, /CN=localhost/);
  });

  it('is a self-signed server certificate, not a CA', () => {
    assert.equal(cert.subject, cert.issuer);
    assert.ok(cert.verify(cert.publicKey), 'signed by its own key');
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: serverAuth');
    assert.match(cert.serialNumber, /^[0-7][0-9A-F]*$/i, 'positive serial number');
  });

  it('has a P-256 key', () => {
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });

  it('is valid from now for about two years', () => {
    const from = new Date(cert.validFrom).getTime();
    const to = new Date(cert.validTo).getTime();
    assert.ok(from <= Date.now() && from > Date.now() - DAY, `validFrom ${cert.validFrom}`);
    assert.ok(Math.abs(to - from - 730 * DAY) < 2 * DAY, `validity ${(to - from) / DAY} days`);
  });

  it('comes with its matching private key in PKCS#8 PEM', () => {
    assert.match(key, /^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
    assert.ok(cert.checkPrivateKey(createPrivateKey(key)));
  });

  it('makes a fresh key every time', async () => {
    const other = await generateSelfSigned(['localhost'], []);
    assert.notEqual(other.key, key);
    assert.equal(new X509Certificate(other.cert).checkPrivateKey(createPrivateKey(key)), false);
  });
});

describe('loadTls', () => {
  const config = loadConfig({ DATA_DIR: dir });
  const certFile = join(dir, 'tls', 'cert.pem');
  const keyFile = join(dir, 'tls', 'key.pem');
  let db: DB;
  const vault = Vault.ephemeral();
  const store = () => ({ db, vault, now: 1 });
  before(async () => { db = await openDatabase(':memory:'); });
  after(async () => { await db.destroy(); });

  it('generates a self-signed certificate into DATA_DIR/tls on the first call, its key sealed in the database', async () => {
    const tls = await loadTls(config, store());
    assert.equal(tls.selfSigned, true);
    assert.equal(readFileSync(certFile, 'utf8'), tls.cert);
    assert.equal(existsSync(keyFile), false, 'no private key file in the data dir');
    const sealed = (await db.selectFrom('appliance_secrets').select('sealed').where('name', '=', 'tls-key').executeTakeFirstOrThrow()).sealed;
    assert.ok(!sealed.includes('PRIVATE KEY'));
    const cert = new X509Certificate(tls.cert);
    assert.ok(cert.checkPrivateKey(createPrivateKey(tls.key)));
    assert.equal(cert.checkHost('localhost'), 'localhost');
  });

  it('keeps the tls folder closed to others', { skip: process.platform === 'win32' }, () => {
    assert.equal(statSync(join(dir, 'tls')).mode & 0o077, 0, 'tls folder closed to others');
  });

  it('reuses the same certificate and key on the next call', async () => {
    const first = await loadTls(config, store());
    const tls = await loadTls(config, store());
    assert.deepEqual(tls, first);
  });

  it('takes over a key file an older version left in the data dir, then deletes it', async () => {
    const legacyDir = join(dir, 'legacy');
    const old = await generateSelfSigned(['localhost'], []);
    mkdirSync(join(legacyDir, 'tls'), { recursive: true });
    writeFileSync(join(legacyDir, 'tls', 'cert.pem'), old.cert);
    writeFileSync(join(legacyDir, 'tls', 'key.pem'), old.key);
    const legacyDb = await openDatabase(':memory:');
    const tls = await loadTls(loadConfig({ DATA_DIR: legacyDir }), { db: legacyDb, vault, now: 1 });
    await legacyDb.destroy();
    assert.deepEqual(tls, { cert: old.cert, key: old.key, selfSigned: true });
    assert.equal(existsSync(join(legacyDir, 'tls', 'key.pem')), false);
  });

  it('uses TLS_CERT/TLS_KEY when configured, generating nothing', async () => {
    const own = await generateSelfSigned(['own.example.test'], []);
    const elsewhere = join(dir, 'other-data');
    writeFileSync(join(dir, 'own-cert.pem'), own.cert);
    writeFileSync(join(dir, 'own-key.pem'), own.key);
    const tls = await loadTls(loadConfig({ DATA_DIR: elsewhere, TLS_CERT: join(dir, 'own-cert.pem'), TLS_KEY: join(dir, 'own-key.pem') }), store());
    assert.deepEqual(tls, { cert: own.cert, key: own.key, selfSigned: false });
    assert.throws(() => statSync(join(elsewhere, 'tls')), /ENOENT/);
  });
});
