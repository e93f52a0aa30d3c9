import assert from 'node:assert/strict';
import { createPublicKey, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzParams } from '../scripts/fuzz-runs.js';
import { admit, type AdmissionContext } from './admit.js';
import { CloseReason } from './close-codes.js';
import { ExpiringSet } from './expiring-set.js';
import { generateSigningKey, signToken } from './tickets.js';

// The relay's door: whatever a client sends first, admission never throws and admits only a
// broker-signed, unexpired, unused ticket for a session that has not ended, with room for it.
// Checked against a plain model of those rules over random sequences of joins and events.

const keys = generateSigningKey();
const publicKey = createPublicKey(keys.publicPem);
const privateKey = createPrivateKey(keys.privatePem);
const foreign = createPrivateKey(generateSigningKey().privatePem);

function context(now: number, room = true): AdmissionContext {
  return { publicKey, now, usedTickets: new ExpiringSet(1000), endedSessions: new ExpiringSet(1000), hasRoomFor: () => room };
}

const payload = fc.record({
  v: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.jsonValue() }),
  sid: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('s1', 's2', 's3') }, { weight: 1, arbitrary: fc.jsonValue() }),
  role: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('technician', 'customer') }, { weight: 1, arbitrary: fc.jsonValue() }),
  jti: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('j1', 'j2', 'j3', 'j4') }, { weight: 1, arbitrary: fc.jsonValue() }),
  exp: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 20_000 }) }, { weight: 1, arbitrary: fc.jsonValue() }),
}, { requiredKeys: [] });

describe('relay admission (fuzz)', () => {
  it('never throws and never admits on anything but a genuine ticket', () => {
    const genuine = signToken({ v: 1, sid: 's1', role: 'customer', jti: 'j', exp: 10_000 }, privateKey);
    const mutated = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 127 })).map(([at, xor]) => {
      const chars = [...genuine];
      const i = at % chars.length;
      chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) ^ xor);
      return JSON.stringify({ ticket: chars.join('') });
    });
    const forged = payload.map((p) => JSON.stringify({ ticket: signToken(p, foreign) }));
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.jsonValue().map((j) => JSON.stringify(j)), fc.jsonValue().map((j) => JSON.stringify({ ticket: j })), mutated, forged);
    fc.assert(fc.property(text, (t) => {
      const result = admit(t, context(1000));
      if (result.ok) assert.equal(JSON.parse(t).ticket, genuine);
    }), fuzzParams());
  });

  it('matches the rules over any sequence of joins, session ends, full relays and time', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('join' as const), ticket: payload, room: fc.boolean() }),
      fc.record({ kind: fc.constant('end' as const), sid: fc.constantFrom('s1', 's2', 's3') }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
    );
    fc.assert(fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
      const ctx = context(1000);
      const used = new Map<string, number>();
      const ended = new Set<string>();
      for (const s of steps) {
        if (s.kind === 'wait') ctx.now += s.ms;
        else if (s.kind === 'end') {
          ended.add(s.sid);
          ctx.endedSessions.add(s.sid, Number.MAX_SAFE_INTEGER, ctx.now);
        } else {
          const p = s.ticket as Record<string, unknown>;
          ctx.hasRoomFor = () => s.room;
          const result = admit(JSON.stringify({ ticket: signToken(p, privateKey) }), ctx);
          const wellFormed = p.v === 1 && typeof p.sid === 'string' && typeof p.jti === 'string' && typeof p.exp === 'number' && (p.role === 'technician' || p.role === 'customer');
          const expected = !wellFormed || (p.exp as number) <= ctx.now ? CloseReason.ticketInvalid
            : (used.get(p.jti as string) ?? 0) > ctx.now ? CloseReason.ticketReused
            : ended.has(p.sid as string) ? CloseReason.sessionEnded
            : !s.room ? CloseReason.relayFull : 'ok';
          assert.equal(result.ok ? 'ok' : result.reason, expected, JSON.stringify(p));
          if (result.ok) used.set(p.jti as string, p.exp as number);
        }
      }
    }), fuzzParams());
  });
});
