import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Capability, Message } from '../protocol/messages.js';
import { generateSigningKey, signToken } from '../relay/tickets.js';
import type { ConsentOffer } from './capabilities/types.js';
import { ConsentDesk, GrantVerifier } from './consent.js';
import type { AgentEvent } from './net/broker.js';
import type { AgentUi, Prompt, PromptAnswer, UiEvent } from './ui/types.js';

const broker = generateSigningKey();
const now = 1_700_000_000_000;
const grant = (fields: Record<string, unknown> = {}, key = broker.privatePem) =>
  signToken({ v: 1, kind: 'grant', sid: 's-1', capability: 'diagnostics', jti: randomUUID(), exp: now + 60_000, ...fields }, key);

describe('grant verification', () => {
  const verifier = () => new GrantVerifier(broker.publicPem, 's-1', () => now);
  const cases: [string, () => string, Capability, string | null][] = [
    ['valid', () => grant(), 'diagnostics', null],
    ['wrong session', () => grant({ sid: 's-2' }), 'diagnostics', 'wrong_session'],
    ['wrong capability', () => grant({ capability: 'file.send' }), 'diagnostics', 'wrong_capability'],
    ['expired', () => grant({ exp: now }), 'diagnostics', 'expired'],
    ['bad signature (another key)', () => grant({}, generateSigningKey().privatePem), 'diagnostics', 'bad_signature'],
    ['altered payload', () => { const [body, sig] = grant().split('.'); return `${Buffer.from(Buffer.from(body!, 'base64url').toString().replace('s-1', 's-2')).toString('base64url')}.${sig}`; }, 'diagnostics', 'bad_signature'],
    ['not a grant (a join code)', () => grant({ kind: 'join' }), 'diagnostics', 'not_a_grant'],
    ['not a grant (a ticket)', () => signToken({ v: 1, sid: 's-1', role: 'customer', jti: 'x', exp: now + 1000 }, broker.privatePem), 'diagnostics', 'not_a_grant'],
    ['garbage', () => 'not-a-token', 'diagnostics', 'malformed'],
  ];
  for (const [name, make, capability, reason] of cases) {
    it(name, () => {
      const result = verifier().check(make(), capability);
      assert.deepEqual(result, reason === null ? { ok: true } : { ok: false, reason });
    });
  }

  it('reused jti', () => {
    const v = verifier();
    const once = grant();
    assert.deepEqual(v.check(once, 'diagnostics'), { ok: true });
    assert.deepEqual(v.check(once, 'diagnostics'), { ok: false, reason: 'reused' });
  });
});

/** A UI that records everything and answers prompts from a script. */
function fakeUi(answers: PromptAnswer[]): AgentUi & { events: UiEvent[]; prompts: Prompt[] } {
  const events: UiEvent[] = [];
  const prompts: Prompt[] = [];
  return {
    events, prompts,
    notify: (event) => events.push(event),
    ask: async (prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? { granted: false };
    },
    onCommand: () => {},
    interrupt: () => {},
    close: () => {},
  };
}

describe('consent desk', () => {
  const setup = (answers: PromptAnswer[]) => {
    const ui = fakeUi(answers);
    const sent: Message[] = [];
    const reported: AgentEvent[] = [];
    const granted: string[] = [];
    const offer: ConsentOffer = { kind: 'confirm', granted: (request) => void granted.push(request.requestId) };
    const desk = new ConsentDesk({
      verifier: new GrantVerifier(broker.publicPem, 's-1', () => now), ui,
      send: async (m) => void sent.push(m), events: { report: (e) => reported.push(e) },
      offers: new Map([['diagnostics', offer]]),
    });
    return { ui, sent, reported, granted, desk };
  };
  const request = (requestId: string, g: string, capability: Capability = 'diagnostics'): Message<'consent.request'> => ({ type: 'consent.request', requestId, capability, grant: g });
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('asks, answers once, reports, then runs the capability', async () => {
    const { ui, sent, reported, granted, desk } = setup([{ granted: true }]);
    desk.handle(request('r1', grant()));
    desk.handle(request('r1', grant()));
    await settle();
    assert.equal(ui.prompts.length, 1, 'a repeated request id is not asked again');
    assert.deepEqual(sent, [{ type: 'consent.response', requestId: 'r1', granted: true }]);
    assert.deepEqual(reported, [{ event: 'consent', capability: 'diagnostics', granted: true, requestId: 'r1' }]);
    assert.deepEqual(granted, ['r1']);
  });

  it('refuses an invalid grant without asking, and tells the customer', async () => {
    const { ui, sent, reported, granted, desk } = setup([{ granted: true }]);
    desk.handle(request('r2', grant({ sid: 'other' })));
    await settle();
    assert.equal(ui.prompts.length, 0);
    assert.deepEqual(sent, [{ type: 'consent.response', requestId: 'r2', granted: false }]);
    assert.deepEqual(ui.events, [{ event: 'refused', id: 'r2', capability: 'diagnostics', reason: 'wrong_session' }]);
    assert.equal(reported[0]?.event, 'consent');
    assert.deepEqual(granted, []);
  });

  it('refuses a capability nobody serves (screen, for now) without asking', async () => {
    const { ui, sent, desk } = setup([{ granted: true }]);
    desk.handle(request('r3', grant({ capability: 'screen.view' }), 'screen.view'));
    await settle();
    assert.equal(ui.prompts.length, 0);
    assert.deepEqual(sent, [{ type: 'consent.response', requestId: 'r3', granted: false }]);
    assert.equal((ui.events[0] as { reason: string }).reason, 'unavailable');
  });

  it('a no is final and runs nothing', async () => {
    const { sent, granted, desk } = setup([{ granted: false }]);
    desk.handle(request('r4', grant()));
    await settle();
    assert.deepEqual(sent, [{ type: 'consent.response', requestId: 'r4', granted: false }]);
    assert.deepEqual(granted, []);
  });
});
