import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzParams, throwsOnly } from '../scripts/fuzz-runs.js';
import { concat, u32, utf8 } from './bytes.js';
import { ProtocolError } from './errors.js';
import { FrameKind, frameKind } from './frames.js';
import { decodeMessage, encodeMessage, messageSchemas } from './messages.js';

// A peer's bytes may be anything: the parser and decoder refuse with a ProtocolError, never
// with another exception (which would crash a handler or leave a session half-open).

const header = (json: unknown, extra: Uint8Array = new Uint8Array(0)) => {
  const text = utf8.encode(JSON.stringify(json));
  return concat(u32(text.length), text, extra);
};

describe('frame parser and message decoder (fuzz)', () => {
  it('frameKind accepts exactly the known kinds and refuses the rest with a ProtocolError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      let kind: number | undefined;
      try {
        kind = frameKind(bytes);
      } catch (error) {
        assert.ok(error instanceof ProtocolError);
      }
      const known = bytes.length > 0 && (Object.values(FrameKind) as number[]).includes(bytes[0]!);
      assert.equal(kind !== undefined, known);
    }), fuzzParams());
  });

  it('decodeMessage on random bytes throws only ProtocolError', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), (bytes) => throwsOnly(() => decodeMessage(bytes), [ProtocolError])), fuzzParams());
  });

  it('decodeMessage on any JSON header throws only ProtocolError, and what it accepts re-encodes to itself', () => {
    const types = Object.keys(messageSchemas);
    // Objects that look like messages (a known type and random fields) reach the schemas' deeper checks.
    const lookalike = fc.record({ type: fc.constantFrom(...types) }).chain((base) => fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }).map((rest) => ({ ...rest, ...base })));
    fc.assert(fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), lookalike), fc.uint8Array({ maxLength: 32 }), (json, payload) => {
      let decoded: ReturnType<typeof decodeMessage>;
      try {
        decoded = decodeMessage(header(json, payload));
      } catch (error) {
        assert.ok(error instanceof ProtocolError, String(error));
        return;
      }
      assert.deepEqual(decodeMessage(encodeMessage(decoded.message, decoded.payload)).message, decoded.message);
      assert.deepEqual([...decoded.payload], [...payload]);
    }), fuzzParams());
  });

  it('a header length past the bytes, or past 64 KiB, is refused', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }), (length, rest) => {
      fc.pre(length > rest.length || length > 64 * 1024);
      assert.throws(() => decodeMessage(concat(u32(length), rest)), ProtocolError);
    }), fuzzParams());
  });
});
