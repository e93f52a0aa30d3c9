import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestAppliance, buildUser, type TestAppliance } from '../../testing/appliance.js';
import { ipMatcher } from './client-ip.js';

describe('client IP and trusted proxies', () => {
  it('matches IPv4 and IPv6 addresses and ranges, incl. IPv4-mapped IPv6', () => {
    const inside = ipMatcher(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);
    const cases: [string, boolean][] = [
      ['10.1.2.3', true], ['11.0.0.1', false], ['192.168.1.7', true], ['192.168.1.8', false],
      ['::ffff:10.9.9.9', true], ['2001:db8::1', true], ['2001:db9::1', false], ['not-an-ip', false],
    ];
    for (const [ip, expected] of cases) assert.equal(inside(ip), expected, ip);
    assert.throws(() => ipMatcher(['10.0.0.0/99']));
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

    it('ignores a spoofed header from anyone else', async () => {
      assert.equal(await auditedIp('198.51.100.77', '10.0.0.1'), '198.51.100.77');
      assert.equal(await auditedIp('2001:db8::5', '127.0.0.1'), '2001:db8::5');
    });
  });
});
