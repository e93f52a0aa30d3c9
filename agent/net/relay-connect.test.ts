import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { startBlackHole, type BlackHole } from '../testing/tcp.js';
import { until } from '../testing/technician.js';
import { openFirst, openRelaySocket, RelayLink, relayUrls, SessionGone } from './relay-connect.js';

const noTrust = { caPem: null, fingerprint: null };

describe('relay connection', () => {
  let server: WebSocketServer;
  let port: number;
  let blackHole: BlackHole;
  const tickets: string[] = [];
  let closeNextWith: number | null = null;

  before(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/relay' });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    server.on('connection', (socket) => socket.once('message', (data) => {
      tickets.push(JSON.parse(data.toString()).ticket as string);
      if (closeNextWith !== null) {
        socket.close(closeNextWith, 'test');
        closeNextWith = null;
      } else {
        socket.send(JSON.stringify({ type: 'waiting' }));
      }
    }));
    blackHole = await startBlackHole();
  });
  after(async () => {
    await blackHole.close();
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  it('builds one URL per port on the server host', () => {
    assert.deepEqual(relayUrls(new URL('https://box.example.com:8443'), '/relay', [8200, 443]), ['wss://box.example.com:8200/relay', 'wss://box.example.com:443/relay']);
    assert.deepEqual(relayUrls(new URL('http://[::1]:80'), '/relay', [80]), ['ws://[::1]:80/relay']);
  });

  it('opens all ports at once: the live one wins, the hanging one is dropped', async () => {
    const started = Date.now();
    const urls = [`ws://127.0.0.1:${blackHole.port}/relay`, 'ws://127.0.0.1:9/relay', `ws://127.0.0.1:${port}/relay`];
    const { socket, url } = await openFirst(urls, (u) => openRelaySocket(u, noTrust, {}), 5_000);
    assert.equal(url, urls[2]);
    assert.ok(Date.now() - started < 2_000, 'did not wait for the hanging port');
    await until(() => blackHole.closedByClient === blackHole.accepted && blackHole.accepted > 0, 'hanging connection closed');
    socket.terminate();
  });

  it('fails with every port\'s reason when none answers', async () => {
    await assert.rejects(openFirst(['ws://127.0.0.1:9/relay'], (u) => openRelaySocket(u, noTrust, {}), 5_000), /Cannot reach the relay: ws:\/\/127\.0\.0\.1:9\/relay: .*ECONNREFUSED/);
  });

  const link = (events: string[], freshTicket: () => Promise<string>) => new RelayLink({
    urls: [`ws://127.0.0.1:${port}/relay`], open: (u) => openRelaySocket(u, noTrust, {}), freshTicket,
    endpoint: { attach: (transport, ticket) => transport.send(JSON.stringify({ ticket })), detach: () => events.push('detach'), handleText: (t) => events.push(JSON.parse(t).type), handleBinary: () => {} },
    events: { onConnected: (_u, again) => events.push(again ? 'reconnected' : 'connected'), onReconnecting: () => events.push('reconnecting'), onGone: (r) => events.push(`gone:${r}`) },
    initialBackoffMs: 50,
  });

  it('reconnects with a fresh ticket after a drop, and stops when the broker says the session is gone', async () => {
    const events: string[] = [];
    let issued = 0;
    const relay = link(events, async () => {
      issued += 1;
      if (issued > 1) throw new SessionGone('ended');
      return 'fresh-1';
    });
    await relay.start('bootstrap', 5_000);
    await until(() => events.includes('waiting'), 'waiting');
    for (const client of server.clients) client.terminate();
    await until(() => events.filter((e) => e === 'waiting').length === 2, 'second waiting');
    assert.deepEqual(tickets.slice(-2), ['bootstrap', 'fresh-1']);
    for (const client of server.clients) client.terminate();
    await until(() => events.includes('gone:revoked'), 'gone');
    assert.deepEqual(events, ['connected', 'waiting', 'detach', 'reconnecting', 'reconnected', 'waiting', 'detach', 'reconnecting', 'gone:revoked']);
  });

  it('does not reconnect when the relay closes with "ended" (4000)', async () => {
    const events: string[] = [];
    closeNextWith = 4000;
    const relay = link(events, async () => 'never');
    await relay.start('bootstrap-2', 5_000);
    await until(() => events.includes('gone:ended'), 'gone');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(events, ['connected', 'detach', 'gone:ended']);
    assert.equal([...server.clients].filter((c) => c.readyState === WebSocket.OPEN).length, 0);
  });
});
