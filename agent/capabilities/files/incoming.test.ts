import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { IncomingFile, TransferError } from './incoming.js';

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const CHUNK = 64 * 1024;

describe('receiving a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'rescuebox-incoming-')), 'Downloads');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const offer = (data: Uint8Array, fields: Partial<{ name: string; size: number; sha256: string }> = {}) => ({ transferId: 't', name: 'data.bin', size: data.length, sha256: sha(data), ...fields });
  const writeAll = async (file: IncomingFile, data: Uint8Array) => {
    for (let offset = 0; offset < data.length; offset += CHUNK) await file.write(offset, data.subarray(offset, offset + CHUNK));
  };
  const rejectsWith = (promise: Promise<unknown>, reason: string) => assert.rejects(promise, (error) => error instanceof TransferError && error.reason === reason);

  it('lands a good file with the right hash under its safe name, and no temp file', async () => {
    const data = randomBytes(300_000);
    const file = await IncomingFile.open(dir, offer(data, { name: '../x/data.bin' }), 1024 * 1024);
    await writeAll(file, data);
    const path = await file.finish();
    assert.equal(path, join(dir, 'data.bin'));
    assert.equal(sha(readFileSync(path)), sha(data));
    assert.deepEqual(readdirSync(dir), ['data.bin']);
  });

  it('a wrong hash leaves nothing behind', async () => {
    const data = randomBytes(100_000);
    const file = await IncomingFile.open(dir, offer(data, { sha256: 'f'.repeat(64) }), 1024 * 1024);
    await writeAll(file, data);
    await rejectsWith(file.finish(), 'hash_mismatch');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses an offer above the maximum before writing anything', async () => {
    const data = randomBytes(2048);
    await rejectsWith(IncomingFile.open(dir, offer(data), 1024), 'too_large');
  });

  it('more data than announced leaves nothing behind', async () => {
    const data = randomBytes(100_000);
    const file = await IncomingFile.open(dir, offer(data, { size: 50_000 }), 1024 * 1024);
    await rejectsWith(writeAll(file, data), 'size_mismatch');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('less data than announced leaves nothing behind', async () => {
    const data = randomBytes(100_000);
    const file = await IncomingFile.open(dir, offer(data), 1024 * 1024);
    await file.write(0, data.subarray(0, CHUNK));
    await rejectsWith(file.finish(), 'size_mismatch');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a gap or overlap (bad offset) leaves nothing behind', async () => {
    const data = randomBytes(200_000);
    const file = await IncomingFile.open(dir, offer(data), 1024 * 1024);
    await file.write(0, data.subarray(0, CHUNK));
    await rejectsWith(file.write(2 * CHUNK, data.subarray(2 * CHUNK, 3 * CHUNK)), 'bad_offset');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('an abort leaves nothing behind', async () => {
    const data = randomBytes(200_000);
    const file = await IncomingFile.open(dir, offer(data), 1024 * 1024);
    await file.write(0, data.subarray(0, CHUNK));
    assert.equal(readdirSync(dir).length, 1, 'the temp file exists while receiving');
    await file.discard();
    assert.deepEqual(readdirSync(dir), []);
    await rejectsWith(file.write(CHUNK, data.subarray(CHUNK)), 'aborted');
  });
});
