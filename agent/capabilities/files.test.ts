import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Message, MessageType } from '../../protocol/messages.js';
import type { AgentEvent } from '../net/broker.js';
import type { UiEvent } from '../ui/types.js';
import { filesCapability } from './files.js';
import type { AgentCapability, MessageHandler } from './types.js';

/** The files capability with a recording context; messages are fed straight to its handlers. */
describe('files capability', () => {
  let dir: string;
  let sent: Message[];
  let reported: AgentEvent[];
  let shown: UiEvent[];
  let files: AgentCapability;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rescuebox-files-'));
    [sent, reported, shown] = [[], [], []];
    files = filesCapability({
      send: async (m) => void sent.push(m), drain: async () => {},
      ui: { notify: (e) => shown.push(e), ask: async () => ({ granted: false }), onCommand: () => {}, interrupt: () => {}, close: () => {} },
      events: { report: (e) => reported.push(e) }, settings: { downloadDir: dir, maxFileBytes: 1_000_000 },
    });
  });
  afterEach(async () => {
    await files.dispose?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const feed = async <T extends MessageType>(message: Message<T>, payload = new Uint8Array(0)) =>
    (files.handlers![message.type] as MessageHandler<T>)(message, payload);
  const consent = (requestId: string, detail?: { name?: string; size?: number }): Message<'consent.request'> =>
    ({ type: 'consent.request', requestId, capability: 'file.send', grant: 'checked-elsewhere', ...(detail && { detail }) });
  const data = randomBytes(100_000);
  const offer = (fields: Partial<Message<'file.offer'>> = {}): Message<'file.offer'> =>
    ({ type: 'file.offer', transferId: 't1', name: 'a.bin', size: data.length, sha256: createHash('sha256').update(data).digest('hex'), requestId: 'r1', ...fields });

  it('refuses an offer the customer did not agree to, writing nothing', async () => {
    await feed(offer());
    assert.deepEqual(sent, [{ type: 'file.received', transferId: 't1', ok: false, reason: 'not_consented' }]);
    assert.equal((reported[0] as { outcome?: string }).outcome, 'refused');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses an offer that differs from what the customer agreed to', async () => {
    await files.consents!['file.send']!.granted(consent('r1', { name: 'a.bin', size: 10 }), { granted: true });
    await feed(offer());
    assert.deepEqual(sent, [{ type: 'file.received', transferId: 't1', ok: false, reason: 'offer_mismatch' }]);
  });

  it('a consent is good for one offer only', async () => {
    await files.consents!['file.send']!.granted(consent('r1'), { granted: true });
    await feed(offer());
    await feed(offer({ transferId: 't2' }));
    assert.deepEqual(sent.map((m) => m.type), ['file.accept', 'file.received']);
    assert.equal((sent[1] as Message<'file.received'>).reason, 'not_consented');
  });

  it('refuses announced files above the maximum without asking', () => {
    assert.equal(files.consents!['file.send']!.precheck!(consent('r1', { size: 2_000_000 })), 'too_large');
    assert.equal(files.consents!['file.send']!.precheck!(consent('r1', { size: 10 })), null);
  });

  it('an abort by the technician, a stop, or the session end leaves nothing behind', async () => {
    for (const end of ['abort', 'stop', 'dispose'] as const) {
      await files.consents!['file.send']!.granted(consent(`r-${end}`), { granted: true });
      await feed(offer({ transferId: `t-${end}`, requestId: `r-${end}` }));
      await feed({ type: 'file.chunk', transferId: `t-${end}`, offset: 0 }, data.subarray(0, 65536));
      assert.equal(readdirSync(dir).length, 1, 'the temp file exists meanwhile');
      if (end === 'abort') await feed({ type: 'file.abort', transferId: `t-${end}`, reason: 'cancelled' });
      if (end === 'stop') await files.stop!('file.send');
      if (end === 'dispose') await files.dispose!();
      assert.deepEqual(readdirSync(dir), [], end);
    }
  });

  it('completes a consented transfer and reports it', async () => {
    await files.consents!['file.send']!.granted(consent('r1', { name: 'a.bin', size: data.length }), { granted: true });
    await feed(offer());
    await feed({ type: 'file.chunk', transferId: 't1', offset: 0 }, data.subarray(0, 65536));
    await feed({ type: 'file.chunk', transferId: 't1', offset: 65536 }, data.subarray(65536));
    await feed({ type: 'file.done', transferId: 't1' });
    assert.deepEqual(sent.at(-1), { type: 'file.received', transferId: 't1', ok: true });
    assert.deepEqual(readdirSync(dir), ['a.bin']);
    assert.equal((reported.at(-1) as { outcome?: string }).outcome, 'delivered');
    assert.ok(shown.some((e) => e.event === 'file-received'));
  });
});
