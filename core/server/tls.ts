import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
// @peculiar/x509 resolves its ASN.1 classes through tsyringe, which needs this polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { Config } from '../../config/schema.js';
import type { DB } from '../db/open.js';
import { applianceSecret } from '../secrets/appliance-secrets.js';
import type { Vault } from '../secrets/vault.js';

/** PEM certificate and key the HTTPS server uses. */
export interface TlsFiles {
  cert: string;
  key: string;
  selfSigned: boolean;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * The TLS material: the configured files, or a self-signed P-256 certificate generated on first
 * start (kept, so browsers and agents can pin it across restarts). Its certificate lies in the
 * data dir; its private key is sealed in the database under the master key.
 */
export async function loadTls(config: Config, store: { db: DB; vault: Vault; now: number }): Promise<TlsFiles> {
  if (config.tlsCert && config.tlsKey) {
    return { cert: readFileSync(config.tlsCert, 'utf8'), key: readFileSync(config.tlsKey, 'utf8'), selfSigned: false };
  }
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const legacyKeyFile = join(dir, 'key.pem');
  const hasKey = existsSync(legacyKeyFile) || (await store.db.selectFrom('appliance_secrets').select('name').where('name', '=', TLS_KEY_NAME).executeTakeFirst());
  let fresh: { cert: string; key: string } | null = null;
  if (!existsSync(certFile) || !hasKey) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    fresh = await generateSelfSigned([hostname(), 'localhost'], ['127.0.0.1', '::1']);
    await store.db.deleteFrom('appliance_secrets').where('name', '=', TLS_KEY_NAME).execute();
    rmSync(legacyKeyFile, { force: true });
    writeFileSync(certFile, fresh.cert, { mode: 0o644 });
  }
  const key = await applianceSecret(store.db, store.vault, TLS_KEY_NAME, () => Buffer.from(fresh!.key), store.now, legacyKeyFile);
  return { cert: readFileSync(certFile, 'utf8'), key: key.toString('utf8'), selfSigned: true };
}

const TLS_KEY_NAME = 'tls-key';

/** A self-signed server certificate for the given names, valid for two years. */
export async function generateSelfSigned(dnsNames: string[], ips: string[]): Promise<{ cert: string; key: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 2 * 365 * 86_400_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${dnsNames[0] ?? 'localhost'}, O=RescueBox appliance`,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...[...new Set(dnsNames)].map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { cert: certificate.toString('pem'), key };
}
