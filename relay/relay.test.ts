import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MAX_FRAME_BYTES } from '../protocol/frames.js';
import { CloseCode, CloseReason } from './close-codes.js';
import { createRelay } from './relay.js';
import { buildTicket, expectControl, keys, pair, startRelay, TestClient, waitFor, type TestRelay } from './testing/harness.js';
import { generateSigningKey } from './tickets.js';

describe('relay: pairing and forwarding', () => {
  let t: TestRelay;
  const tapped: { sid: string; from: string; bytes: Buffer }[] = [];
  const events: string[] = [];
  const logs: unknown[] = [];
  before(async () => {
    t = await startRelay({
      tap: (sid, from, bytes) => tapped.push({ sid, from, bytes: Buffer.from(bytes) }),
      events: {
        onPaired: (sid, resumed) => events.push(`paired ${sid} ${resumed}`),
        onLeft: (sid, role) => events.push(`left ${sid} ${role}`),
        onClosed: (sid, reason) => events.push(`closed ${sid} ${reason}`),
      },
      logger: { info: (obj, msg) => logs.push([obj, msg]), warn: (obj, msg) => logs.push([obj, msg]) },
    });
  });
  after(() => t.close());

  it('pairs both sides and forwards frames both ways byte-exact, the tap seeing exactly them', async () => {
    const { sid, technician, customer } = await pair(t.url);
    tapped.length = 0;
    const sizes = [1, 17, 1000, 65_536, 300_000, MAX_FRAME_BYTES];
    const fromTech = sizes.map((n) => randomBytes(n));
    const fromCust = sizes.map((n) => randomBytes(n));
    for (const frame of fromTech) technician.send(frame);
    for (const frame of fromCust) customer.send(frame);
    for (const frame of fromTech) assert.deepEqual(await customer.nextBinary(), frame);
    for (const frame of fromCust) assert.deepEqual(await technician.nextBinary(), frame);
    const seen = (from: string) => tapped.filter((entry) => entry.sid === sid && entry.from === from).map((entry) => entry.bytes);
    assert.deepEqual(seen('technician'), fromTech);
    assert.deepEqual(seen('customer'), fromCust);
    assert.equal(tapped.length, sizes.length * 2);
    technician.close();
    customer.close();
  });

  it('drops frames while the other side is absent; forwards frames sent right behind the ticket', async () => {
    const sid = randomUUID();
    const { framesDropped } = t.relay.stats();
    tapped.length = 0;
    const technician = await TestClient.connect(t.url);
    technician.send(JSON.stringify({ ticket: buildTicket(sid, 'technician') }));
    technician.send(Buffer.from('nobody hears this'));
    await expectControl(technician, { type: 'waiting' });
    await waitFor(() => t.relay.stats().framesDropped === framesDropped + 1);
    const customer = await TestClient.connect(t.url);
    customer.send(JSON.stringify({ ticket: buildTicket(sid, 'customer') }));
    customer.send(Buffer.from('hello'));
    assert.deepEqual(await technician.nextBinary(), Buffer.from('hello'));
    assert.deepEqual(tapped.map((entry) => entry.bytes.toString()), ['hello']);
    technician.close();
    customer.close();
  });

  it('says peer-left when a side goes and paired with resumed:true when it comes back', async () => {
    const { sid, technician, customer } = await pair(t.url);
    technician.close();
    await expectControl(customer, { type: 'peer-left' });
    const back = await TestClient.join(t.url, buildTicket(sid, 'technician'));
    await expectControl(back, { type: 'paired', resumed: true });
    await expectControl(customer, { type: 'paired', resumed: true });
    back.send(Buffer.from([1, 2, 3]));
    assert.deepEqual(await customer.nextBinary(), Buffer.from([1, 2, 3]));
    assert.deepEqual(events.filter((e) => e.includes(sid)), [`paired ${sid} false`, `left ${sid} technician`, `paired ${sid} true`]);
    back.close();
    customer.close();
  });

  it('replaces a socket when the same role joins again (4409) and resumes the pair', async () => {
    const { sid, technician, customer } = await pair(t.url);
    const second = await TestClient.join(t.url, buildTicket(sid, 'customer'));
    assert.deepEqual(await customer.closed, { code: CloseCode.replaced, reason: CloseReason.replaced });
    await expectControl(second, { type: 'paired', resumed: true });
    await expectControl(technician, { type: 'paired', resumed: true });
    technician.send(Buffer.from('to the new socket'));
    assert.deepEqual(await second.nextBinary(), Buffer.from('to the new socket'));
    assert.equal(technician.controls.length, 0, 'the replaced socket closing is not a peer-left');
    assert.equal(t.relay.stats().sessions >= 1, true);
    technician.close();
    second.close();
  });

  it('closeSession sends ended to both sides, closes them and refuses leftover tickets', async () => {
    const { sid, technician, customer } = await pair(t.url);
    assert.equal(t.relay.closeSession(sid, 'ended by technician'), true);
    for (const client of [technician, customer]) {
      await expectControl(client, { type: 'ended', reason: 'ended by technician' });
      assert.deepEqual(await client.closed, { code: CloseCode.ended, reason: CloseReason.ended });
    }
    assert.ok(events.includes(`closed ${sid} ended by technician`));
    const late = await TestClient.join(t.url, buildTicket(sid, 'customer'));
    assert.deepEqual(await late.closed, { code: CloseCode.unauthorized, reason: CloseReason.sessionEnded });
    assert.equal(t.relay.closeSession(sid, 'again'), false);
  });

  it('never logs payloads or tickets, and sends endpoints nothing but control messages', async () => {
    const marker = 'PAYLOAD-MARKER-7f3a';
    const ticket = buildTicket(randomUUID(), 'technician');
    const technician = await TestClient.join(t.url, ticket);
    const { sid } = JSON.parse(Buffer.from(ticket.split('.')[0]!, 'base64url').toString()) as { sid: string };
    const customer = await TestClient.join(t.url, buildTicket(sid, 'customer'));
    await waitFor(() => customer.controls.length > 0);
    technician.send(Buffer.from(marker));
    await customer.nextBinary();
    technician.send(marker);
    await technician.closed;
    customer.close();
    await customer.closed;
    const logged = JSON.stringify(logs);
    assert.ok(!logged.includes(marker));
    assert.ok(!logged.includes(ticket.split('.')[1]!));
    const types = new Set([...technician.controls, ...customer.controls].map((c) => c.type));
    for (const type of types) assert.ok(['waiting', 'paired', 'peer-left', 'ended'].includes(type), type);
  });
});

describe('relay: admission', () => {
  let t: TestRelay;
  before(async () => {
    t = await startRelay({ authTimeoutMs: 200 });
  });
  after(() => t.close());

  const refused = async (join: (client: TestClient) => void, expected: { code: number; reason: string }) => {
    const client = await TestClient.connect(t.url);
    join(client);
    assert.deepEqual(await client.closed, expected);
  };
  const unauthorized = (reason: string) => ({ code: CloseCode.unauthorized, reason });

  it('refuses bad join messages with 4401 and a stable reason', async () => {
    const sid = randomUUID();
    const cases: [string, string | Buffer, { code: number; reason: string }][] = [
      ['wrong signature', JSON.stringify({ ticket: buildTicket(sid, 'customer', {}, generateSigningKey().privatePem) }), unauthorized(CloseReason.ticketInvalid)],
      ['expired', JSON.stringify({ ticket: buildTicket(sid, 'customer', { exp: Date.now() - 1 }) }), unauthorized(CloseReason.ticketInvalid)],
      ['unknown role', JSON.stringify({ ticket: buildTicket(sid, 'admin' as never) }), unauthorized(CloseReason.ticketInvalid)],
      ['not JSON', '{"ticket":', unauthorized(CloseReason.ticketInvalid)],
      ['ticket not a string', JSON.stringify({ ticket: 42 }), unauthorized(CloseReason.ticketInvalid)],
      ['array', '[]', unauthorized(CloseReason.ticketInvalid)],
      ['null', 'null', unauthorized(CloseReason.ticketInvalid)],
      ['huge text', 'x'.repeat(MAX_FRAME_BYTES), unauthorized(CloseReason.ticketInvalid)],
      ['binary before the ticket', Buffer.from('{"ticket":"x"}'), { code: CloseCode.policy, reason: CloseReason.binaryBeforeAuth }],
    ];
    for (const [name, message, expected] of cases) {
      await refused((client) => client.send(message), expected).catch((error: Error) => assert.fail(`${name}: ${error.message}`));
    }
  });

  it('accepts a ticket once: a reused ticket gets 4401 ticket_reused', async () => {
    const ticket = buildTicket(randomUUID(), 'technician');
    const first = await TestClient.join(t.url, ticket);
    await expectControl(first, { type: 'waiting' });
    await refused((client) => client.send(JSON.stringify({ ticket })), unauthorized(CloseReason.ticketReused));
    first.close();
  });

  it('closes a socket that sends no ticket within authTimeoutMs', async () => {
    const started = Date.now();
    await refused(() => {}, unauthorized(CloseReason.ticketMissing));
    assert.ok(Date.now() - started >= 190);
    assert.equal(t.relay.stats().pendingSockets, 0);
  });

  it('closes a joined socket that sends text (1008)', async () => {
    const { technician, customer } = await pair(t.url);
    technician.send('{"type":"hello"}');
    assert.deepEqual(await technician.closed, { code: CloseCode.policy, reason: CloseReason.textAfterAuth });
    await expectControl(customer, { type: 'peer-left' });
    customer.close();
  });

  it('refuses a new session beyond maxSessions (4503) but still pairs held ones', async () => {
    const small = await startRelay({ maxSessions: 3 });
    const waiting = [];
    for (let i = 0; i < 3; i++) waiting.push(await TestClient.join(small.url, buildTicket(`full-${i}`, 'technician')));
    await waitFor(() => small.relay.stats().sessions === 3);
    const refusedTicket = buildTicket('full-3', 'technician');
    const extra = await TestClient.join(small.url, refusedTicket);
    assert.deepEqual(await extra.closed, { code: CloseCode.full, reason: CloseReason.relayFull });
    const customer = await TestClient.join(small.url, buildTicket('full-0', 'customer'));
    await expectControl(customer, { type: 'paired', resumed: false });
    small.relay.closeSession('full-1', 'make room');
    const retried = await TestClient.join(small.url, refusedTicket);
    await expectControl(retried, { type: 'waiting' });
    await small.close();
  });
});

describe('relay: options', () => {
  it('rejects unknown event hooks, bad numbers and non-Ed25519 keys at creation', () => {
    assert.throws(() => createRelay({ publicKey: keys.publicPem, events: { onPiared: () => {} } as never }), /unknown relay event onPiared/);
    assert.throws(() => createRelay({ publicKey: keys.publicPem, heartbeatMs: 0 }), /heartbeatMs/);
    assert.throws(() => createRelay({ publicKey: 'not a key' }));
  });
});
