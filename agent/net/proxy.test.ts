import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bypassesProxy, proxyUrlFor } from './proxy.js';

describe('proxy selection', () => {
  const target = new URL('https://support.example.com:8443/api');
  it('uses HTTPS_PROXY (either case) for https and wss, HTTP_PROXY for http', () => {
    assert.equal(proxyUrlFor(target, { HTTPS_PROXY: 'http://proxy:3128' }), 'http://proxy:3128');
    assert.equal(proxyUrlFor(new URL('wss://support.example.com:8200/relay'), { https_proxy: 'proxy:3128' }), 'http://proxy:3128');
    assert.equal(proxyUrlFor(new URL('http://support.example.com/'), { HTTPS_PROXY: 'http://p:1' }), null);
    assert.equal(proxyUrlFor(new URL('http://support.example.com/'), { HTTP_PROXY: 'http://p:1' }), 'http://p:1');
    assert.equal(proxyUrlFor(target, {}), null);
  });

  const table: [string, string, number, boolean][] = [
    ['*', 'anything.test', 443, true],
    ['example.com', 'support.example.com', 443, true],
    ['.example.com', 'support.example.com', 443, true],
    ['*.example.com', 'support.example.com', 443, true],
    ['example.com', 'example.com', 443, true],
    ['ample.com', 'support.example.com', 443, false],
    ['example.com:8443', 'support.example.com', 8443, true],
    ['example.com:8443', 'support.example.com', 443, false],
    ['localhost, 127.0.0.1', '127.0.0.1', 8200, true],
    ['[::1]', '[::1]', 443, true],
    ['', 'support.example.com', 443, false],
  ];
  for (const [noProxy, host, port, bypass] of table) {
    it(`NO_PROXY=${JSON.stringify(noProxy)} ${host}:${port} → ${bypass ? 'direct' : 'proxy'}`, () => assert.equal(bypassesProxy(host, port, noProxy), bypass));
  }

  it('NO_PROXY wins over HTTPS_PROXY', () => {
    assert.equal(proxyUrlFor(target, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com' }), null);
  });
});
