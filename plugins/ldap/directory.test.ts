import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DirectoryError, openDirectory, type DirectoryOptions } from './directory.js';
import type { Slapd } from './testing/slapd.js';
import { passwordOf, SERVICE_DN, SERVICE_PASSWORD, startDirectory } from './testing/fixture.js';

// The ldapjs adapter on its own, against a real slapd and a silent socket.
describe('directory adapter (ldapjs)', () => {
  let slapd: Slapd;
  let silent: Server;
  const sockets: Socket[] = [];
  const options = (url: string, timeoutMs = 3000): DirectoryOptions => ({ url, startTls: false, caPem: null, verifyCertificate: true, timeoutMs });
  const kindOf = async (work: Promise<unknown>) => work.then(() => 'ok', (error: unknown) => (error instanceof DirectoryError ? error.kind : `other: ${String(error)}`));

  before(async () => {
    ({ slapd } = await startDirectory());
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    sockets.forEach((s) => s.destroy());
    silent?.close();
    await slapd?.stop();
  });

  it('binds, searches (a size limit returns at most that many entries) and reads binary attributes', async () => {
    const dir = await openDirectory(options(slapd.url));
    try {
      await dir.bind(SERVICE_DN, SERVICE_PASSWORD);
      const two = await dir.search({ base: 'ou=people,dc=example,dc=org', scope: 'sub', filter: '(objectClass=inetOrgPerson)', attributes: ['uid'], sizeLimit: 2 });
      assert.equal(two.length, 2);
      const all = await dir.search({ base: 'ou=people,dc=example,dc=org', scope: 'sub', filter: '(objectClass=inetOrgPerson)', attributes: ['uid'], paged: true });
      assert.equal(all.length, 8);
      const [hank] = await dir.search({ base: 'ou=corp,dc=example,dc=org', scope: 'sub', filter: '(sAMAccountName=HANK)', attributes: ['objectGUID'] });
      assert.equal(hank?.attributes.get('objectguid')?.[0]?.toString('hex'), '00112233445566778899aabbccddeeff');
    } finally {
      await dir.close();
    }
  });

  it('names what went wrong: refused password, empty password, missing base, unreachable host, silent server', async () => {
    const dir = await openDirectory(options(slapd.url));
    try {
      assert.equal(await kindOf(dir.bind('uid=bob,ou=people,dc=example,dc=org', 'Wrong-password-1')), 'invalid_credentials');
      assert.equal(await kindOf(dir.bind('uid=bob,ou=people,dc=example,dc=org', '')), 'invalid_credentials');
      assert.equal(await kindOf(dir.bind('uid=bob,ou=people,dc=example,dc=org', passwordOf('bob'))), 'ok');
      assert.equal(await kindOf(dir.search({ base: 'ou=nowhere,dc=example,dc=org', scope: 'base', filter: '(objectClass=*)', attributes: [] })), 'no_such_object');
      assert.equal(await kindOf(dir.search({ base: 'dc=example,dc=org', scope: 'base', filter: '(uid=unclosed', attributes: [] })), 'protocol');
    } finally {
      await dir.close();
    }
    const closedPort = slapd.url.replace(/:\d+$/, ':1');
    assert.equal(await kindOf(openDirectory(options(closedPort))), 'unreachable');
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    const quiet = await openDirectory(options(`ldap://127.0.0.1:${port}`, 600));
    try {
      assert.equal(await kindOf(quiet.bind(SERVICE_DN, SERVICE_PASSWORD)), 'timeout');
    } finally {
      await quiet.close();
    }
    assert.ok(Date.now() - started < 3000, 'the time limit holds');
  });
});
