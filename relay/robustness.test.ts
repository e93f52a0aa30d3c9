import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { RawData } from 'ws';
import { MAX_FRAME_BYTES } from '../protocol/frames.js';
import { CloseCode, CloseReason } from './close-codes.js';
import { buildTicket, expectControl, pair, sleep, startRelay, TestClient, waitFor, type TestRelay } from './testing/harness.js';

/** Sends frames on a healthy pair and checks every one arrives intact, while something else goes on. */
async function exchange(pairOf: Awaited<ReturnType<typeof pair>>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const frame = randomBytes(1 + (i % 7) * 1000);
    pairOf.technician.send(frame);
    assert.deepEqual(await pairOf.customer.nextBinary(), frame);
    pairOf.customer.send(frame);
    assert.deepEqual(await pairOf.technician.nextBinary(), frame);
    if (i % 10 === 0) await sleep(1);
  }
}

/** A raw TCP client that has completed the WebSocket upgrade and then misbehaves. */
async function rawUpgraded(t: TestRelay): Promise<Socket> {
  const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  const key = randomBytes(16).toString('base64');
  socket.write(`GET /relay HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let head = '';
  while (!head.includes('\r\n\r\n')) head += String((await once(socket, 'data'))[0]);
  assert.match(head, /^HTTP\/1.1 101/);
  return socket;
}

/** A masked client frame header for a given opcode and payload. */
function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  assert.ok(payload.length < 126);
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

const misbehaviours: [string, (t: TestRelay) => Promise<void>][] = [
  ['random bytes after the upgrade', async (t) => void (await rawUpgraded(t)).end(randomBytes(4096))],
  ['an unmasked frame', async (t) => void (await rawUpgraded(t)).end(Buffer.from([0x82, 0x03, 1, 2, 3]))],
  ['a frame header claiming 2^63 bytes', async (t) => void (await rawUpgraded(t)).end(Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]))],
  ['a reset in the middle of a frame', async (t) => {
    const socket = await rawUpgraded(t);
    socket.write(Buffer.from([0x82, 0xfe, 0x10, 0x00, 1, 2, 3, 4, 5, 6]));
    await sleep(2);
    socket.resetAndDestroy();
  }],
  ['thousands of tiny fragments', async (t) => {
    const socket = await rawUpgraded(t);
    const parts = [clientFrame(0x2, Buffer.from([1]), false)];
    for (let i = 0; i < 2_000; i++) parts.push(clientFrame(0x0, Buffer.from([1]), false));
    socket.end(Buffer.concat(parts));
  }],
  ['a reset before the upgrade completes', async (t) => {
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write('GET /relay HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n');
    socket.resetAndDestroy();
  }],
  ['garbage instead of HTTP', async (t) => {
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
    socket.on('error', () => {});
    socket.end(randomBytes(2048));
  }],
  ['an upgrade without a key', async (t) => {
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
    socket.on('error', () => {});
    socket.end('GET /relay HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  }],
  ['malformed join messages in a burst', async (t) => {
    const client = await TestClient.connect(t.url);
    for (const text of ['{', '"ticket"', '{"ticket":null}', '{"ticket":{"a":1}}', '\u0000\uffff', '{"ticket":"a.b.c"}']) client.send(text);
    await client.closed;
  }],
  ['text spam after joining', async (t) => {
    const client = await TestClient.join(t.url, buildTicket(`spam-${Math.random()}`, 'customer'));
    for (let i = 0; i < 200; i++) client.send(`not a frame ${i}`);
    await client.closed;
  }],
];

describe('relay: robustness', () => {
  it('closes an oversize frame with 1009 while another session keeps working', async () => {
    const t = await startRelay();
    const healthy = await pair(t.url);
    const big = await pair(t.url);
    big.technician.send(Buffer.alloc(MAX_FRAME_BYTES + 1));
    assert.equal((await big.technician.closed).code, CloseCode.tooBig);
    await expectControl(big.customer, { type: 'peer-left' });
    await exchange(healthy, 50);
    big.customer.send(Buffer.alloc(MAX_FRAME_BYTES, 7));
    await exchange(healthy, 5);
    await t.close();
  });

  it('survives a flood of garbage, resets and malformed frames without disturbing another session', async () => {
    const t = await startRelay();
    const healthy = await pair(t.url);
    const flood = Promise.all(Array.from({ length: 5 }, () => Promise.all(misbehaviours.map(([name, run]) => run(t).catch((error: Error) => assert.fail(`${name}: ${error.message}`))))));
    await Promise.all([flood, exchange(healthy, 200)]);
    await waitFor(() => t.relay.stats().pendingSockets === 0, 3_000, 'no pending sockets left');
    await exchange(healthy, 10);
    const stats = t.relay.stats();
    assert.equal(stats.pairedSessions, 1);
    await t.close();
  });

  it('pauses a writer while its reader does not read: 64 MiB pass, relay buffering stays bounded', async () => {
    const highWater = 1024 * 1024;
    const t = await startRelay({ highWaterBytes: highWater });
    const { technician: writer, customer: reader } = await pair(t.url);
    const frameBytes = 64 * 1024;
    const total = 1024;
    let received = 0;
    let inOrder = true;
    reader.ws.removeAllListeners('message');
    reader.ws.on('message', (data: RawData) => {
      inOrder &&= (data as Buffer).readUInt32BE(0) === received;
      received++;
    });
    reader.ws.pause();

    let maxBuffered = 0;
    let sawPaused = false;
    const sampler = setInterval(() => {
      const stats = t.relay.stats();
      maxBuffered = Math.max(maxBuffered, stats.bufferedBytes);
      sawPaused ||= stats.pausedSockets > 0;
    }, 2);
    let sent = 0;
    const writing = (async () => {
      while (sent < total) {
        if (writer.ws.bufferedAmount > 2 * highWater) {
          await sleep(2);
          continue;
        }
        const frame = Buffer.alloc(frameBytes, sent & 0xff);
        frame.writeUInt32BE(sent, 0);
        writer.send(frame);
        sent++;
      }
    })();
    try {
      // Wait until the whole pipeline is full and the writer is stuck. A loaded machine can stall
      // this one process for a few hundred milliseconds: "stuck" means no progress for a second.
      let last = -1;
      while (sent !== last) {
        last = sent;
        await sleep(1_000);
      }
      assert.ok(sent < total, `the writer was held back (${sent} of ${total} frames sent)`);
      assert.ok(sawPaused, 'the relay paused the source');
      assert.ok(maxBuffered <= 3 * highWater, `relay buffered at most ${maxBuffered} bytes`);

      reader.ws.resume();
      await writing;
      await waitFor(() => received === total, 20_000, 'all frames received');
      assert.ok(inOrder, 'frames arrived in order');
      assert.ok(maxBuffered <= 3 * highWater, `relay buffered at most ${maxBuffered} bytes`);
      await waitFor(() => t.relay.stats().pausedSockets === 0, 1_000, 'source resumed');
    } finally {
      // A failed check must not leave the sampler (and with it this test file) running forever.
      clearInterval(sampler);
      reader.ws.resume();
      await t.close();
    }
  });

  it('terminates a socket that stops answering pings and keeps one that answers', async () => {
    const t = await startRelay({ heartbeatMs: 50 });
    const { sid, technician } = await pair(t.url);
    const silent = await TestClient.join(t.url, buildTicket(sid, 'customer'), { autoPong: false });
    await expectControl(silent, { type: 'paired', resumed: true });
    await expectControl(technician, { type: 'paired', resumed: true });
    await expectControl(technician, { type: 'peer-left' });
    assert.equal((await silent.closed).code, 1006, 'terminated without a closing handshake');
    await sleep(200);
    assert.equal(technician.ws.readyState, technician.ws.OPEN);
    await t.close();
  });

  it('ends a session without binary traffic for idleTimeoutMs, not one with traffic', async () => {
    const t = await startRelay({ idleTimeoutMs: 300 });
    const idle = await pair(t.url);
    const busy = await pair(t.url);
    const started = Date.now();
    const traffic = setInterval(() => busy.technician.send(Buffer.from([1])), 50);
    for (const client of [idle.technician, idle.customer]) {
      await expectControl(client, { type: 'ended', reason: CloseReason.idle });
      assert.deepEqual(await client.closed, { code: CloseCode.ended, reason: CloseReason.idle });
    }
    assert.ok(Date.now() - started >= 250);
    await sleep(400);
    clearInterval(traffic);
    assert.equal(busy.customer.ws.readyState, busy.customer.ws.OPEN);
    await t.close();
  });

  it('ends a half session whose other side does not come back within reconnectGraceMs', async () => {
    const closed: string[] = [];
    const t = await startRelay({ reconnectGraceMs: 200, events: { onClosed: (sid, reason) => closed.push(`${sid} ${reason}`) } });
    const { sid, technician, customer } = await pair(t.url);
    technician.close();
    await expectControl(customer, { type: 'peer-left' });
    await expectControl(customer, { type: 'ended', reason: CloseReason.peerGone });
    assert.deepEqual(await customer.closed, { code: CloseCode.ended, reason: CloseReason.peerGone });
    assert.deepEqual(closed, [`${sid} peer_gone`]);
    const both = await pair(t.url);
    both.technician.close();
    both.customer.close();
    await waitFor(() => t.relay.stats().sessions === 0, 2_000, 'abandoned session removed');
    await t.close();
  });

  it('close() says going-away to every socket and clears every timer', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
    const before = timers();
    const t = await startRelay();
    const { technician, customer } = await pair(t.url);
    const pending = await TestClient.connect(t.url);
    assert.ok(timers() > before);
    await t.close();
    for (const client of [technician, customer, pending]) assert.deepEqual(await client.closed, { code: CloseCode.goingAway, reason: CloseReason.shutdown });
    await sleep(10);
    assert.equal(timers(), before);
  });
});
