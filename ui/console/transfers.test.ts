import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Capability, Message } from '../../protocol/messages.js';
import { ApiError } from '../api/client.js';
import { ConsentRequests } from './consent.js';
import { CHUNK_BYTES } from './files-common.js';
import { FileTransfers } from './files.js';
import { initialState, type SessionState } from './state.js';
import { Store } from './store.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The console's consent and file modules against a scripted customer agent: `sent` records
 * what the console sent, `agent` answers like agent/capabilities/files.ts does.
 */
function setup(options: { grant?: (capability: Capability) => Promise<string>; answer?: boolean } = {}) {
  const store = new Store<SessionState>(initialState);
  const sent: { message: Message; payload: Uint8Array }[] = [];
  let onSend: (message: Message, payload: Uint8Array) => void = () => undefined;
  const send = async (message: Message, payload: Uint8Array = new Uint8Array(0)) => {
    sent.push({ message, payload: new Uint8Array(payload) });
    queueMicrotask(() => onSend(message, payload));
  };
  const consents = new ConsentRequests({ store, send, grant: options.grant ?? (async () => 'signed-grant') });
  const files = new FileTransfers({ store, send, drain: async () => undefined }, consents);
  const deliver = (message: Message, payload = new Uint8Array(0)) => {
    const handler = (consents.handlers[message.type] ?? files.handlers[message.type]) as ((m: Message, p: Uint8Array) => Promise<void> | void) | undefined;
    return handler?.(message, payload);
  };
  // The customer's agent: answers consent, accepts offers, verifies what arrived.
  onSend = (message) => {
    if (message.type === 'consent.request') void deliver({ type: 'consent.response', requestId: message.requestId, granted: options.answer ?? true });
    if (message.type === 'file.offer') void deliver({ type: 'file.accept', transferId: message.transferId });
    if (message.type === 'file.done') void deliver({ type: 'file.received', transferId: message.transferId, ok: true });
  };
  return { store, sent, consents, files, deliver };
}

describe('console consent and file transfers', () => {
  it('sends a file after consent: offer with the announced name and size, 64 KiB chunks, done', async () => {
    const { store, sent, files } = setup();
    const bytes = new Uint8Array(CHUNK_BYTES * 2 + 10).map((_, i) => i % 251);
    await files.outgoing.send(new File([bytes], 'setup.exe'));
    const types = sent.map((s) => s.message.type);
    assert.deepEqual(types, ['consent.request', 'file.offer', 'file.chunk', 'file.chunk', 'file.chunk', 'file.done']);
    const request = sent[0]!.message as Message<'consent.request'>;
    assert.deepEqual([request.capability, request.grant, request.detail], ['file.send', 'signed-grant', { name: 'setup.exe', size: bytes.length }]);
    const offer = sent[1]!.message as Message<'file.offer'>;
    assert.deepEqual([offer.name, offer.size, offer.sha256, offer.requestId], ['setup.exe', bytes.length, sha(bytes), request.requestId]);
    const chunks = sent.filter((s) => s.message.type === 'file.chunk');
    assert.deepEqual(chunks.map((c) => (c.message as Message<'file.chunk'>).offset), [0, CHUNK_BYTES, CHUNK_BYTES * 2]);
    assert.equal(sha(Buffer.concat(chunks.map((c) => c.payload))), sha(bytes));
    assert.deepEqual(store.get().transfers.map((t) => [t.state, t.bytes]), [['done', bytes.length]]);
    assert.equal(store.get().consents[0]!.state, 'granted');
  });

  it('sends nothing but the request when the customer refuses', async () => {
    const { store, sent, files } = setup({ answer: false });
    await files.outgoing.send(new File(['hello'], 'a.txt'));
    assert.deepEqual(sent.map((s) => s.message.type), ['consent.request']);
    assert.deepEqual([store.get().consents[0]!.state, store.get().transfers[0]!.state], ['refused', 'failed']);
  });

  it('tells the technician when the broker refuses the grant, without asking the customer', async () => {
    const forbidden = new ApiError(403, 'forbidden', 'Your technician groups do not grant diagnostics.', {});
    const { store, sent, consents } = setup({ grant: async () => Promise.reject(forbidden) });
    assert.equal(await consents.ask('diagnostics'), false);
    assert.equal(sent.length, 0);
    assert.equal(store.get().consents[0]!.state, 'forbidden');
  });

  it('receives a file, verifies its SHA-256, offers it for download and confirms', async () => {
    const { store, sent, deliver } = setup();
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    await deliver({ type: 'file.offer', transferId: 'c-1', name: 'log.txt', size: bytes.length, sha256: sha(bytes) });
    assert.deepEqual(sent.map((s) => s.message), [{ type: 'file.accept', transferId: 'c-1' }]);
    await deliver({ type: 'file.chunk', transferId: 'c-1', offset: 0 }, bytes.subarray(0, CHUNK_BYTES));
    await deliver({ type: 'file.chunk', transferId: 'c-1', offset: CHUNK_BYTES }, bytes.subarray(CHUNK_BYTES));
    await deliver({ type: 'file.done', transferId: 'c-1' });
    await tick();
    assert.deepEqual(sent.at(-1)!.message, { type: 'file.received', transferId: 'c-1', ok: true });
    const transfer = store.get().transfers[0]!;
    assert.equal(transfer.state, 'done');
    assert.match(transfer.url!, /^blob:/);
    const blob = resolveObjectURL(transfer.url!);
    assert.equal(sha(new Uint8Array(await blob!.arrayBuffer())), sha(bytes));
  });

  it('refuses a file whose bytes do not match the announced SHA-256, or arrive out of order', async () => {
    const { store, sent, deliver } = setup();
    await deliver({ type: 'file.offer', transferId: 'c-2', name: 'a.bin', size: 4, sha256: 'a'.repeat(64) });
    await deliver({ type: 'file.chunk', transferId: 'c-2', offset: 0 }, new Uint8Array([1, 2, 3, 4]));
    await deliver({ type: 'file.done', transferId: 'c-2' });
    assert.deepEqual(sent.at(-1)!.message, { type: 'file.received', transferId: 'c-2', ok: false, reason: 'hash_mismatch' });
    await deliver({ type: 'file.offer', transferId: 'c-3', name: 'b.bin', size: 8, sha256: 'b'.repeat(64) });
    await deliver({ type: 'file.chunk', transferId: 'c-3', offset: 4 }, new Uint8Array([1, 2, 3, 4]));
    assert.deepEqual(sent.at(-1)!.message, { type: 'file.received', transferId: 'c-3', ok: false, reason: 'bad_offset' });
    assert.deepEqual(store.get().transfers.map((t) => [t.state, t.reason, t.url]), [['failed', 'hash_mismatch', undefined], ['failed', 'bad_offset', undefined]]);
  });
});
