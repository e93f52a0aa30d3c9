import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSigningKey, signToken, verifyTicket } from './tickets.js';

describe('join tickets', () => {
  const keys = generateSigningKey();
  const payload = { v: 1, sid: 's1', role: 'customer', jti: 'j1', exp: 2000 } as const;

  it('verifies a ticket signed by the broker until it expires', () => {
    const ticket = signToken(payload, keys.privatePem);
    assert.deepEqual(verifyTicket(ticket, keys.publicPem, 1000), payload);
    assert.equal(verifyTicket(ticket, keys.publicPem, 2000), null);
  });

  it('refuses altered, foreign-signed and malformed tickets', () => {
    const ticket = signToken(payload, keys.privatePem);
    const [body, sig] = ticket.split('.');
    const altered = `${Buffer.from(JSON.stringify({ ...payload, role: 'technician' })).toString('base64url')}.${sig}`;
    assert.equal(verifyTicket(altered, keys.publicPem, 1000), null);
    assert.equal(verifyTicket(signToken(payload, generateSigningKey().privatePem), keys.publicPem, 1000), null);
    for (const bad of ['', 'a', `${body}`, `${body}.${sig}.x`, 'x'.repeat(5000), `${body}.!!!`]) assert.equal(verifyTicket(bad, keys.publicPem, 1000), null);
    assert.equal(verifyTicket(signToken({ ...payload, role: 'admin' }, keys.privatePem), keys.publicPem, 1000), null);
  });

  // Counter-example from admit.fuzz.test.ts: the same signature spelt with '+' for '-' was accepted.
  it('accepts only the canonical spelling of a signature', () => {
    const ticket = signToken(payload, keys.privatePem);
    const [body, sig] = ticket.split('.') as [string, string];
    const respelt = [sig.replace(/-/g, '+').replace(/_/g, '/'), `${sig}==`, sig.slice(0, -1) + String.fromCharCode(sig.charCodeAt(sig.length - 1) ^ 1)];
    for (const other of respelt.filter((s) => s !== sig)) assert.equal(verifyTicket(`${body}.${other}`, keys.publicPem, 1000), null, other);
    assert.deepEqual(verifyTicket(ticket, keys.publicPem, 1000), payload);
  });
});
