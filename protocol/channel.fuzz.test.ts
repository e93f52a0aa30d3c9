import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzParams, throwsOnly } from '../scripts/fuzz-runs.js';
import { SecureChannel } from './channel.js';
import { ProtocolError } from './errors.js';
import { finishHandshake, startHandshake, type SessionKeys } from './handshake.js';

// The channel's receive side is a state machine over counters: given any schedule of the
// sender's frames (drops, duplicates, reordering, bit flips) it accepts exactly the frames in
// order, refuses the first out-of-place one with a ProtocolError, and a RESUME from the
// receiver's position gets every missing frame back, so nothing is lost or seen twice.

let tech: SessionKeys;
let cust: SessionKeys;

before(async () => {
  const a = await startHandshake('technician', 'fuzz-session', '123456');
  const b = await startHandshake('customer', 'fuzz-session', '123456');
  [tech, cust] = await Promise.all([finishHandshake(a, b.hello), finishHandshake(b, a.hello)]);
});

const message = (i: number) => new TextEncoder().encode(`message ${i}`);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** What the network may do to one frame in flight. */
const fate = fc.constantFrom('deliver', 'deliver', 'deliver', 'drop', 'duplicate', 'swap-with-next', 'flip-bit');

async function sealAll(sender: SecureChannel, count: number): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) frames.push(await sender.seal(message(i)));
  return frames;
}

/** Applies the fates to the frames: the bytes as they arrive. */
function network(frames: Uint8Array[], fates: string[], flipAt: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const f = fates[i % fates.length]!;
    if (f === 'drop') continue;
    if (f === 'duplicate') out.push(frame, frame);
    else if (f === 'swap-with-next' && i + 1 < frames.length) {
      out.push(frames[i + 1]!, frame);
      i += 1;
    } else if (f === 'flip-bit') {
      const copy = frame.slice();
      const at = flipAt % (copy.length * 8);
      copy[at >> 3]! ^= 1 << (at & 7);
      out.push(copy);
    } else out.push(frame);
  }
  return out;
}

describe('secure channel under a hostile network (fuzz)', () => {
  it('accepts an in-order prefix, refuses the first anomaly, and resume delivers the rest exactly once', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.array(fate, { minLength: 1, maxLength: 12 }), fc.nat(), async (count, fates, flipAt) => {
      const sender = new SecureChannel(tech);
      const receiver = new SecureChannel(cust);
      const frames = await sealAll(sender, count);
      const got: string[] = [];
      for (const frame of network(frames, fates, flipAt)) {
        try {
          got.push(decode(await receiver.open(frame)));
        } catch (error) {
          // A real endpoint ends the session here; the keys stay, so a reconnect resumes.
          assert.ok(error instanceof ProtocolError, String(error));
          break;
        }
      }
      // Everything accepted so far is exactly the first messages, in order.
      assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => `message ${i}`));
      assert.equal(receiver.nextExpected, got.length);
      // Reconnect: the receiver says where it stopped; the sender sends the rest again.
      for (const frame of await sender.handleResume(await receiver.resumeFrame())) got.push(decode(await receiver.open(frame)));
      assert.deepEqual(got, Array.from({ length: count }, (_, i) => `message ${i}`));
    }), fuzzParams());
  });

  it('acks and resumes in any order never lose a frame the peer has not got', async () => {
    // Steps: seal a message, deliver the oldest undelivered frame, or let the receiver ack.
    const step = fc.constantFrom('seal', 'deliver', 'ack', 'ack-stale');
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
      const sender = new SecureChannel(tech);
      const receiver = new SecureChannel(cust);
      const inFlight: Uint8Array[] = [];
      const acks: Uint8Array[] = [];
      let sealed = 0;
      const got: string[] = [];
      for (const s of steps) {
        if (s === 'seal') inFlight.push(await sender.seal(message(sealed++)));
        else if (s === 'deliver' && inFlight.length > 0) got.push(decode(await receiver.open(inFlight.shift()!)));
        else if (s === 'ack') {
          const ack = await receiver.ackFrame();
          acks.push(ack);
          await sender.handleAck(ack);
        } else if (s === 'ack-stale' && acks.length > 0) await sender.handleAck(acks[0]!); // an old ACK arriving late
      }
      // The connection drops with frames in flight: RESUME brings back exactly those.
      inFlight.length = 0;
      for (const frame of await sender.handleResume(await receiver.resumeFrame())) got.push(decode(await receiver.open(frame)));
      assert.deepEqual(got, Array.from({ length: sealed }, (_, i) => `message ${i}`));
    }), fuzzParams());
  });

  it('random or altered control and data frames are refused with a ProtocolError only', async () => {
    const receiver = new SecureChannel(cust);
    const sender = new SecureChannel(tech);
    const valid = [await sender.seal(message(0)), await receiver.ackFrame(), await receiver.resumeFrame()];
    const mutated = fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 1, max: 255 })).map(([frame, at, xor]) => {
      const copy = frame.slice();
      copy[at % copy.length]! ^= xor;
      return copy;
    });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated), async (bytes) => {
      const fresh = new SecureChannel(tech);
      await fresh.seal(message(0));
      await throwsOnly(() => new SecureChannel(cust).open(bytes), [ProtocolError]);
      await throwsOnly(() => fresh.handleAck(bytes), [ProtocolError]);
      await throwsOnly(() => fresh.handleResume(bytes), [ProtocolError]);
    }), fuzzParams());
  });
});
