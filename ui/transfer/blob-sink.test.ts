import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { BlobSink } from './blob-sink.js';
import { sha256OfBlob } from './sha256-stream.js';

const CHUNK = 64 * 1024;
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('streamed file pieces', () => {
  it('a file arriving in pieces (past several folds) comes out whole and verified', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 123);
    const sink = new BlobSink(data.length);
    for (let offset = 0; offset < data.length; offset += CHUNK) assert.equal(sink.append(offset, data.subarray(offset, offset + CHUNK)), null);
    const result = sink.finish(sha(data));
    assert.ok(result.ok);
    assert.ok(Buffer.from(await result.blob.arrayBuffer()).equals(data));
  });

  it('refuses a wrong offset, too many bytes, a short file and a wrong hash', () => {
    const sink = new BlobSink(10);
    assert.equal(sink.append(1, new Uint8Array(2)), 'bad_offset');
    assert.equal(sink.append(0, new Uint8Array(11)), 'size_mismatch');
    assert.equal(sink.append(0, new Uint8Array(4)), null);
    assert.deepEqual(sink.finish(sha(new Uint8Array(4))), { ok: false, reason: 'size_mismatch' });
    assert.equal(sink.append(4, new Uint8Array(6)), null);
    assert.deepEqual(sink.finish('0'.repeat(64)), { ok: false, reason: 'hash_mismatch' });
  });

  it('hashes a Blob in slices to the same digest as one pass', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    assert.equal(await sha256OfBlob(new Blob([data])), sha(data));
  });
});
