import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../config/load.js';
import { startAppliance } from '../../server/start.js';
import { createLogger } from '../../support/logger.js';
import { buildTestAppliance, buildUser, type TestAppliance } from '../../testing/appliance.js';
import { clientIp, ipMatcher } from './client-ip.js';

describe('client IP and trusted proxies', () => {
  it('matches IPv4 and IPv6 addresses and ranges, incl. IPv4-mapped IPv6', () => {
    const inside = ipMatcher(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);
    const cases: [string, boolean][] = [
      ['10.1.2.3', true], ['11.0.0.1', false], ['192.168.1.7', true], ['192.168.1.8', false],
      ['::ffff:10.9.9.9', true], ['2001:db8::1', true], ['2001:db9::1', false], ['not-an-ip', false],
    ];
    for (const [ip, expected] of cases) assert.equal(inside(ip), expected, ip);
    assert.throws(() => ipMatcher(['10.0.0.0/99']), /"10\.0\.0\.0\/99": the prefix \/99 is longer than 32 bits/);
  });

  it('never matches across address families (ip-cidr alone compares raw bits)', () => {
    // 32.1.13.184 is 0x20010db8, the first 32 bits of 2001:db8::; ::1 is the integer 1.
    const cases: [string[], string][] = [
      [['2001:db8::/32'], '32.1.13.184'], [['0.0.0.0/24'], '::1'], [['0.0.0.0/0'], '2001:db8::1'], [['::/0'], '10.0.0.1'], [['127.0.0.1'], '::7f00:1'],
    ];
    for (const [ranges, ip] of cases) assert.equal(ipMatcher(ranges)(ip), false, `${ip} in ${ranges.join()}`);
    assert.equal(ipMatcher(['::ffff:10.0.0.0/104'])('10.1.2.3'), true, 'an IPv4-mapped range is the IPv4 range');
    assert.equal(ipMatcher(['10.0.0.0/8'])('::ffff:a01:203'), true, 'a hex IPv4-mapped address is the IPv4 address');
  });

  it('stops the start with a bad TRUSTED_PROXIES entry, naming it', () => {
    assert.throws(() => clientIp(['10.0.0.0/8', 'proxy.local']), /TRUSTED_PROXIES.*"proxy\.local" is not an IP address or CIDR range/);
  });

  describe('X-Forwarded-For', () => {
    let t: TestAppliance;
    before(async () => {
      t = await buildTestAppliance({ TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' });
    });
    after(() => t.close());

    /** Logs in (to produce an audit entry) from a socket address with a forwarded header; returns the audited IP. */
    async function auditedIp(socket: string, forwarded: string): Promise<string | null> {
      const { user, password } = await buildUser(t);
      await t.app.request('/api/v1/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded }, body: JSON.stringify({ email: user.email, password }),
      }, { remoteAddress: socket });
      const row = await t.services.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').where('actor_id', '=', user.id).executeTakeFirstOrThrow();
      return row.ip;
    }

    it('believes the header from a trusted proxy', async () => {
      assert.equal(await auditedIp('127.0.0.1', '203.0.113.9'), '203.0.113.9');
    });

    it('skips trusted hops and takes the first untrusted one from the right', async () => {
      assert.equal(await auditedIp('127.0.0.1', '198.51.100.1, 203.0.113.9, 10.1.1.1'), '203.0.113.9');
    });

    it('takes IPv4 and IPv6 hops with an optional port', async () => {
      const cases: [string, string][] = [
        ['203.0.113.9:51234', '203.0.113.9'], ['2001:db8::9', '2001:db8::9'], ['[2001:db8::9]', '2001:db8::9'],
        ['[2001:DB8::9]:443', '2001:db8::9'], ['::ffff:203.0.113.9', '203.0.113.9'], ['198.51.100.1 , 203.0.113.7 ,10.1.1.1:80', '203.0.113.7'],
      ];
      for (const [header, expected] of cases) assert.equal(await auditedIp('127.0.0.1', header), expected, header);
    });

    it('refuses a malformed forwarded address from a trusted proxy with 400 and audits it', async () => {
      const malformed = ['garbage', '203.0.113.9:99999', '203.0.113', '2001:db8::9::1', '[2001:db8::9', '203.0.113.9, ', ', 10.1.1.1', '256.1.1.1', '203.0.113.9:', '1.2.3.4 5.6.7.8', 'unknown'];
      for (const header of malformed) {
        const res = await t.app.request('/healthz', { headers: { 'x-forwarded-for': header } }, { remoteAddress: '127.0.0.1' });
        assert.equal(res.status, 400, header);
        assert.equal(((await res.json()) as { reason?: string }).reason, 'invalid_forwarded_for', header);
      }
      const audited = await t.services.db.selectFrom('audit_log').select(['ip', 'outcome', 'details']).where('action', '=', 'http.forwarded_for_invalid').execute();
      assert.equal(audited.length, malformed.length);
      assert.deepEqual([audited[0]!.ip, audited[0]!.outcome, JSON.parse(audited[0]!.details).header], ['127.0.0.1', 'denied', 'garbage']);
      // Nobody else's header is read at all, so it cannot be malformed either.
      assert.equal((await t.app.request('/healthz', { headers: { 'x-forwarded-for': 'garbage' } }, { remoteAddress: '198.51.100.77' })).status, 200);
    });

    it('ignores a spoofed header from anyone else', async () => {
      assert.equal(await auditedIp('198.51.100.77', '10.0.0.1'), '198.51.100.77');
      assert.equal(await auditedIp('2001:db8::5', '127.0.0.1'), '2001:db8::5');
    });
  });

  describe('on a real socket', () => {
    /**
     * Starts the appliance on 127.0.0.1 (admins may log in only from 203.0.113.0/24 through the
     * ip-restrictions plugin), logs in over node:http with a forged X-Forwarded-For, and returns
     * the status and the IP the audit log recorded for the attempt.
     */
    async function forgedLogin(trustedProxies: string): Promise<{ status: number; code: string | undefined; auditedIp: string | null }> {
      const dataDir = mkdtempSync(join(tmpdir(), 'rb-client-ip-'));
      const config = loadConfig({
        DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', TLS: 'off', RELAY_PORT: '0', LOG_LEVEL: 'silent', TRUSTED_PROXIES: trustedProxies,
        ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', PLUGINS: 'ip-restrictions',
        PLUGIN_SETTINGS: JSON.stringify({ 'ip-restrictions': { login: { roles: ['account_admin'], default: ['203.0.113.0/24'] } } }),
      });
      const appliance = await startAppliance(config, { logger: createLogger('silent'), inMemory: true });
      try {
        const body = JSON.stringify({ email: 'boss@example.test', password: 'Owner-secret-2026' });
        const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = request(`${appliance.url}/api/v1/auth/login`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': '203.0.113.5' },
          }, (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          });
          req.on('error', reject).end(body);
        });
        const row = await appliance.services.db.selectFrom('audit_log').select('ip').where('action', '=', 'policy.technicianLogin').executeTakeFirst();
        return { status, code: (JSON.parse(text) as { code?: string }).code, auditedIp: row?.ip ?? null };
      } finally {
        await appliance.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }

    it('ignores a forged header from a peer that is no trusted proxy: the socket address decides', async () => {
      assert.deepEqual(await forgedLogin(''), { status: 403, code: 'ip_login_not_allowed', auditedIp: '127.0.0.1' });
      assert.deepEqual(await forgedLogin('10.0.0.0/8,::1'), { status: 403, code: 'ip_login_not_allowed', auditedIp: '127.0.0.1' });
    });

    it('honours the header when the peer is a configured trusted proxy', async () => {
      assert.deepEqual(await forgedLogin('127.0.0.1'), { status: 200, code: undefined, auditedIp: '203.0.113.5' });
    });
  });
});
