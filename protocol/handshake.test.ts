import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecureChannel } from './channel.js';
import { ProtocolError } from './errors.js';
import { checkConfirm, confirmFrame, finishHandshake, startHandshake, type SessionKeys } from './handshake.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function pair(techPin = '123456', customerPin = '123456', sessionId = 'session-1'): Promise<[SessionKeys, SessionKeys]> {
  const tech = await startHandshake('technician', sessionId, techPin);
  const customer = await startHandshake('customer', sessionId, customerPin);
  return Promise.all([finishHandshake(tech, customer.hello), finishHandshake(customer, tech.hello)]);
}

const code = (error: unknown) => (error instanceof ProtocolError ? error.code : String(error));

describe('handshake', () => {
  it('agrees on keys and the same short authentication string when the PINs match', async () => {
    const [tech, customer] = await pair();
    assert.match(tech.sas, /^\d{3} \d{3}$/);
    assert.equal(tech.sas, customer.sas);
    await checkConfirm(tech, await confirmFrame(customer));
    await checkConfirm(customer, await confirmFrame(tech));
  });

  it('fails key confirmation with a different PIN, and the SAS differs', async () => {
    const [tech, customer] = await pair('123456', '123457');
    assert.notEqual(tech.sas, customer.sas);
    await assert.rejects(checkConfirm(tech, await confirmFrame(customer)), (e) => code(e) === 'pin_mismatch');
  });

  it('binds keys to the session id', async () => {
    const tech = await startHandshake('technician', 'session-A', '123456');
    const customer = await startHandshake('customer', 'session-B', '123456');
    const [t, c] = await Promise.all([finishHandshake(tech, customer.hello), finishHandshake(customer, tech.hello)]);
    await assert.rejects(checkConfirm(t, await confirmFrame(c)), (e) => code(e) === 'pin_mismatch');
  });

  it('refuses malformed, wrong-role and identity-point HELLOs', async () => {
    const tech = await startHandshake('technician', 's', '1');
    const other = await startHandshake('technician', 's', '1');
    await assert.rejects(finishHandshake(tech, other.hello), (e) => code(e) === 'bad_handshake');
    await assert.rejects(finishHandshake(tech, tech.hello.subarray(0, 10)), (e) => code(e) === 'bad_handshake');
    const customer = await startHandshake('customer', 's', '1');
    const zeroed = new Uint8Array(customer.hello);
    zeroed.fill(0, 3, 35);
    await assert.rejects(finishHandshake(tech, zeroed), (e) => code(e) === 'bad_handshake');
  });
});

describe('secure channel', () => {
  async function channels(): Promise<[SecureChannel, SecureChannel]> {
    const [t, c] = await pair();
    return [new SecureChannel(t), new SecureChannel(c)];
  }

  it('carries messages both ways, compressing large ones', async () => {
    const [tech, customer] = await channels();
    assert.equal(dec.decode(await customer.open(await tech.seal(enc.encode('hello customer')))), 'hello customer');
    assert.equal(dec.decode(await tech.open(await customer.seal(enc.encode('hello technician')))), 'hello technician');
    const big = enc.encode('x'.repeat(100_000));
    const frame = await tech.seal(big);
    assert.ok(frame.length < 2000, 'compressible data is compressed before encryption');
    assert.deepEqual(await customer.open(frame), big);
  });

  it('detects a flipped byte, a replayed frame and a dropped frame', async () => {
    const [tech, customer] = await channels();
    const first = await tech.seal(enc.encode('one'));
    const flipped = new Uint8Array(first);
    flipped[flipped.length - 1]! ^= 1;
    await assert.rejects(customer.open(flipped), (e) => code(e) === 'tampered');
    await customer.open(first);
    await assert.rejects(customer.open(first), (e) => code(e) === 'replayed_or_reordered');
    await tech.seal(enc.encode('two (dropped)'));
    await assert.rejects(customer.open(await tech.seal(enc.encode('three'))), (e) => code(e) === 'replayed_or_reordered');
  });

  it('refuses a frame sealed for the other direction', async () => {
    const [tech] = await channels();
    const own = await tech.seal(enc.encode('loop'));
    await assert.rejects(tech.open(own), (e) => code(e) === 'tampered');
  });

  it('resends unacknowledged frames after a reconnect, exactly once each', async () => {
    const [tech, customer] = await channels();
    const frames = [];
    for (let i = 0; i < 5; i += 1) frames.push(await tech.seal(enc.encode(`m${i}`)));
    await customer.open(frames[0]!);
    await customer.open(frames[1]!);
    await tech.handleAck(await customer.ackFrame());
    // frames 2..4 were lost in the cut; the customer asks to resume at 2
    const resent = await tech.handleResume(await customer.resumeFrame());
    assert.equal(resent.length, 3);
    for (let i = 0; i < 3; i += 1) assert.equal(dec.decode(await customer.open(resent[i]!)), `m${i + 2}`);
    await tech.handleAck(await customer.ackFrame());
    assert.equal(tech.pendingBytes, 0);
  });

  it('refuses forged control frames', async () => {
    const [tech, customer] = await channels();
    const ack = await customer.ackFrame();
    const forged = new Uint8Array(ack);
    forged[8] = 7;
    await assert.rejects(tech.handleAck(forged), (e) => code(e) === 'tampered');
  });
});
