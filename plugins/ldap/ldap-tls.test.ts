import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../../core/testing/appliance.js';
import { DirectoryError, openDirectory } from './directory.js';
import { startSlapd, type Slapd } from './testing/slapd.js';
import { createTestCa, type TestCa } from './testing/test-ca.js';
import { applianceWithLdap, openLdapSettings, passwordOf, startDirectory } from './testing/fixture.js';

// TLS against slapd configured with a certificate from a throwaway CA (TLSCACertificateFile,
// TLSCertificateFile, TLSCertificateKeyFile): StartTLS on ldap:// and LDAPS on its own port.
describe('ldap plugin: StartTLS and LDAPS with a configurable CA', () => {
  let slapd: Slapd;
  let ca: TestCa;
  let otherCa: TestCa;
  let dir: string;

  before(async () => {
    ({ slapd, ca } = await startDirectory());
    otherCa = await createTestCa('Some other CA');
    dir = await mkdtemp(join(tmpdir(), 'rescuebox-ldap-ca-'));
  });
  after(async () => {
    await slapd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Logs bob in through the HTTP route of an appliance with these settings; returns the status and the connection test. */
  async function attempt(overrides: Record<string, unknown>): Promise<{ status: number; test: { ok: boolean; message: string } }> {
    const { t, admin } = await applianceWithLdap(openLdapSettings(slapd, { allowPlaintext: false, ...overrides }));
    try {
      const status = (await new TestClient(t, '10.6.0.1').login('bob', passwordOf('bob'))).status;
      const test = (await (await admin.request('POST', '/api/v1/plugins/ldap/test', {})).json()) as { ok: boolean; message: string };
      return { status, test };
    } finally {
      await t.close();
    }
  }

  it('logs in over StartTLS when the certificate is checked against the test CA', async () => {
    const { status, test } = await attempt({ startTls: true, caPem: ca.certPem });
    assert.equal(status, 200);
    assert.equal(test.ok, true, test.message);
  });

  it('refuses StartTLS with a CA that did not sign the server certificate, and says so', async () => {
    const { status, test } = await attempt({ startTls: true, caPem: otherCa.certPem });
    assert.equal(status, 401);
    assert.equal(test.ok, false);
    assert.match(test.message, /TLS .*failed/);
    assert.match(test.message, /caPem or caFile/);
  });

  it('refuses StartTLS with the system CA store (the test CA is not in it)', async () => {
    assert.equal((await attempt({ startTls: true })).status, 401);
  });

  it('logs in over LDAPS with the CA read from a file', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, ca.certPem);
    const { status, test } = await attempt({ url: slapd.ldapsUrl, caFile });
    assert.equal(status, 200);
    assert.equal(test.ok, true, test.message);
  });

  it('refuses LDAPS with the wrong CA', async () => {
    assert.equal((await attempt({ url: slapd.ldapsUrl, caPem: otherCa.certPem })).status, 401);
  });

  it('checks the host name: a certificate from the right CA but for another name is refused (StartTLS and LDAPS)', async () => {
    const elsewhere = await startSlapd({ tls: { ...(await ca.issue({ dns: ['ldap.elsewhere.test'], ips: [] })), caPem: ca.certPem } });
    try {
      for (const [url, startTls] of [[elsewhere.url, true], [elsewhere.ldapsUrl!, false]] as const) {
        const error = await openDirectory({ url, startTls, caPem: ca.certPem, verifyCertificate: true, timeoutMs: 3000 }).then(async (d) => { await d.close(); return null; }, (e: unknown) => e);
        assert.ok(error instanceof DirectoryError && error.kind === 'tls', `${url}: ${String(error)}`);
        assert.match(error.message, /ALTNAME/);
      }
    } finally {
      await elsewhere.stop();
    }
  });
});
