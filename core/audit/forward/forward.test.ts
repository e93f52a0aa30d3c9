import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestCa } from '../../../plugins/ldap/testing/test-ca.js';
import { buildTestAppliance, type TestAppliance } from '../../testing/appliance.js';
import { startRsyslogd, type Rsyslogd } from '../../testing/rsyslogd.js';
import { createLogger } from '../../support/logger.js';
import { AuditForwarder, type ForwardTarget } from './forwarder.js';
import { SD_ID } from './rfc5424.js';

const silent = createLogger('silent');

/** Entries whose details need every kind of escaping: quotes, backslash, bracket, umlauts. */
async function recordSample(t: TestAppliance, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 1) {
    await t.services.audit.record({
      action: i % 2 ? 'auth.login' : 'session.control_granted', outcome: i % 3 ? 'success' : 'denied',
      actorEmail: `jürgen.${i}@example.test`, ip: '127.0.0.1', targetType: 'user', targetId: `id-"${i}"]\\`,
      details: { note: `Größe "${i}" ] \\ end`, i },
    });
  }
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Parses rsyslog's RFC 5424 re-emission: header fields, our SD params, the message. */
function parse(line: string): { pri: number; msgid: string; params: Record<string, string>; msg: string } {
  const match = /^<(\d+)>1 \S+ \S+ rescuebox \d+ (\S+) \[([^ \]]+)((?: [a-zA-Z]+="(?:[^"\\]|\\.)*")*)\] (.*)$/.exec(line);
  assert.ok(match, `not RFC 5424 with our structured data: ${line}`);
  assert.equal(match[3], SD_ID);
  const params: Record<string, string> = {};
  for (const m of match[4]!.matchAll(/ ([a-zA-Z]+)="((?:[^"\\]|\\.)*)"/g)) params[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return { pri: Number(match[1]), msgid: match[2]!, params, msg: match[5]! };
}

async function assertAllReceived(t: TestAppliance, syslog: Rsyslogd, count: number): Promise<void> {
  const lines = await until(`${count} entries at rsyslogd`, () => { const l = syslog.received(); return l.length >= count ? l : undefined; });
  const rows = await t.services.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  assert.equal(rows.length, count);
  assert.equal(lines.length, count, 'each entry exactly once');
  lines.map(parse).forEach((entry, i) => {
    const row = rows[i]!;
    assert.equal(entry.msgid, row.action);
    assert.equal(entry.params.seq, String(row.seq));
    assert.equal(entry.params.hash, row.hash);
    assert.equal(entry.params.prevHash, row.prev_hash);
    assert.equal(entry.params.targetId, row.target_id);
    assert.equal(entry.params.actorEmail, row.actor_email);
    assert.equal(entry.pri, 13 * 8 + (row.outcome === 'denied' ? 4 : 5));
    assert.ok(entry.msg.endsWith(row.details), `details kept byte for byte: ${entry.msg}`);
  });
}

describe('audit forwarding to a real rsyslogd', () => {
  let t: TestAppliance;
  before(async () => { t = await buildTestAppliance(); });
  after(async () => { await t.close(); });

  test('plain TCP: every entry arrives once, in order, parsed as RFC 5424 by rsyslog; an outage is caught up from the cursor', async () => {
    // A port nobody listens on yet: the first sends fail and must be kept, not lost.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const target: ForwardTarget = { name: 'syslog-tcp', format: 'rfc5424', url: `tcp://127.0.0.1:${port}` };
    const forwarder = new AuditForwarder(t.services.db, silent, [target], { pollMs: 100, maxBackoffMs: 200 });
    await recordSample(t, 0, 3);
    await forwarder.flush();
    const cursor = await t.services.db.selectFrom('audit_forward_cursors').selectAll().where('target', '=', 'syslog-tcp').executeTakeFirst();
    assert.equal(cursor, undefined, 'nothing counted as sent while the receiver was down');

    const syslog = await startRsyslogd({ port });
    const stop = forwarder.start();
    const unsubscribe = t.services.audit.onAppend(() => forwarder.wake());
    try {
      await recordSample(t, 3, 4);
      await assertAllReceived(t, syslog, 7);
    } finally {
      unsubscribe();
      stop();
      await syslog.stop();
    }
  });

  test('TLS: the receiver\'s certificate is checked against the configured CA', async () => {
    const ca = await createTestCa();
    const server = await ca.issue({ dns: [], ips: ['127.0.0.1'] });
    const syslog = await startRsyslogd({ tls: { caPem: ca.certPem, ...server } });
    const before = await t.services.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const otherCa = await createTestCa('Someone else');
    const impostor = new AuditForwarder(t.services.db, silent, [{ name: 'tls-wrong-ca', format: 'rfc5424', url: `tls://127.0.0.1:${syslog.port}`, ca: otherCa.certPem }]);
    const forwarder = new AuditForwarder(t.services.db, silent, [{ name: 'tls', format: 'rfc5424', url: `tls://127.0.0.1:${syslog.port}`, ca: ca.certPem }]);
    try {
      await impostor.flush();
      const refused = await t.services.db.selectFrom('audit_forward_cursors').selectAll().where('target', '=', 'tls-wrong-ca').executeTakeFirst();
      assert.equal(refused, undefined, 'an unverified receiver gets nothing');
      await recordSample(t, 10, 2);
      await forwarder.flush();
      await assertAllReceived(t, syslog, Number(before.n) + 2);
    } finally {
      impostor.stop();
      forwarder.stop();
      await syslog.stop();
    }
  });

  test('JSON lines to a file and over TCP: one object per entry with the chain hashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rescuebox-jsonl-'));
    let tcpText = '';
    const receiver = createServer((socket) => socket.on('data', (chunk) => { tcpText += chunk.toString('utf8'); }));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const forwarder = new AuditForwarder(t.services.db, silent, [
      { name: 'json-file', format: 'json', url: `file://${join(dir, 'audit.jsonl')}` },
      { name: 'json-tcp', format: 'json', url: `tcp://127.0.0.1:${(receiver.address() as AddressInfo).port}` },
    ]);
    try {
      await forwarder.flush();
      const rows = await t.services.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      const fromFile = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      await until('all JSON lines over TCP', () => (tcpText.split('\n').length > rows.length ? true : undefined));
      const fromTcp = tcpText.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const received of [fromFile, fromTcp]) {
        assert.deepEqual(received.map((e) => e.seq), rows.map((r) => r.seq));
        assert.deepEqual(received.map((e) => e.hash), rows.map((r) => r.hash));
        assert.deepEqual(received[0]!.details, JSON.parse(rows[0]!.details));
      }
    } finally {
      forwarder.stop();
      await new Promise((resolve) => receiver.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
