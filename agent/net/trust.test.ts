import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { generateSelfSigned } from '../../core/server/tls.js';
import { createJsonClient } from './http.js';
import { openRelaySocket } from './relay-connect.js';
import { CertificateMismatch } from './trust.js';

/** A self-signed HTTPS + WebSocket server that counts every request that reaches it. */
describe('certificate trust', () => {
  let server: Server;
  let url: URL;
  let cert: string;
  let fingerprint: string;
  let requests = 0;
  before(async () => {
    const tls = await generateSelfSigned(['localhost'], ['127.0.0.1']);
    cert = tls.cert;
    fingerprint = new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase();
    server = createServer({ cert: tls.cert, key: tls.key }, (_req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const wss = new WebSocketServer({ server });
    wss.on('headers', () => {
      requests += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('accepts exactly the pinned certificate', async () => {
    const res = await createJsonClient(url, { caPem: null, fingerprint }, {}).post('/x', {});
    assert.deepEqual(res.body, { ok: true });
  });

  it('sends nothing to a server with another certificate (REST and WebSocket)', async () => {
    const before = requests;
    const wrong = { caPem: null, fingerprint: '00'.repeat(32) };
    await assert.rejects(createJsonClient(url, wrong, {}).post('/x', { pin: '123456' }), CertificateMismatch);
    const socket = openRelaySocket(`wss://${url.host}/relay`, wrong, {});
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    assert.ok(error instanceof CertificateMismatch, error.message);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(requests, before, 'no request reached the server');
  });

  it('trusts the certificate given with --ca, and refuses it without', async () => {
    const res = await createJsonClient(url, { caPem: cert, fingerprint: null }, {}).post('/x', {});
    assert.equal(res.status, 200);
    await assert.rejects(createJsonClient(url, { caPem: null, fingerprint: null }, {}).post('/x', {}), /self-signed/);
  });
});
