import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pair, startRelay, waitFor, type TestRelay } from './testing/harness.js';

/** Counts the writes (syscall batches) the relay's own sockets hand to the kernel. */
function countWrites(sockets: Socket[]): { count: number } {
  const counter = { count: 0 };
  for (const socket of sockets) {
    const writable = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
    for (const method of ['_write', '_writev'] as const) {
      const original = writable[method].bind(socket);
      writable[method] = (...args: unknown[]) => {
        counter.count++;
        original(...args);
      };
    }
  }
  return counter;
}

describe('relay: forwarding in batches', () => {
  let t: TestRelay;
  const relaySockets: Socket[] = [];
  before(async () => {
    t = await startRelay();
    t.server.on('connection', (socket) => relaySockets.push(socket));
  });
  after(() => t.close());

  it('forwards a burst of small frames in order and byte-exact, in a few writes instead of one per frame', async () => {
    const { technician, customer } = await pair(t.url);
    const writes = countWrites(relaySockets.slice(-2));
    const frames = Array.from({ length: 300 }, (_, i) => Buffer.from(`frame ${i} `.repeat(1 + (i % 7))));
    // ws writes each frame straight to the kernel: the relay reads the burst in one or a few chunks.
    for (const frame of frames) technician.send(frame);
    for (const frame of frames) assert.deepEqual(await customer.nextBinary(), frame);
    assert.ok(writes.count <= 20, `the relay wrote ${writes.count} times for ${frames.length} frames`);
    // Frames in the other direction, after the burst, still go out (the cork was released).
    customer.send(Buffer.from('back'));
    assert.deepEqual(await technician.nextBinary(), Buffer.from('back'));
    await waitFor(() => t.relay.stats().framesForwarded >= frames.length + 1);
    technician.close();
    customer.close();
  });
});
