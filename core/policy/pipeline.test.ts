import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log.js';
import { openDatabase, type DB } from '../db/open.js';
import { ManualClock } from '../support/clock.js';
import { createLogger } from '../support/logger.js';
import { PolicyPipeline } from './pipeline.js';
import { definePlugin, type PolicyPlugin } from './plugin.js';
import { whenAllContinue, type HookContexts, type Verdict } from './types.js';

/** Ids of the plugins whose handler ran, in order, for the current case. */
let calls: string[] = [];

/** A plugin whose technicianLogin handler records the call and answers `answer()`. */
function plugin(id: string, answer: (context: HookContexts['technicianLogin']) => unknown, timeoutMs?: number): PolicyPlugin<unknown> {
  return definePlugin<unknown>({
    id, name: id, description: `test plugin ${id}`, settings: z.unknown(), ...(timeoutMs !== undefined && { timeoutMs }),
    hooks: {
      technicianLogin: (context) => {
        calls.push(id);
        return answer(context) as Verdict;
      },
    },
  });
}

const allow = (id: string) => plugin(id, () => ({ outcome: 'allow' }));
const pass = (id: string) => plugin(id, () => ({ outcome: 'continue' }));
const deny = (id: string, code = `${id}_says_no`) => plugin(id, () => ({ outcome: 'deny', code, reason: `${id} refuses` }));
const challenge = (id: string) => plugin(id, () => ({ outcome: 'challenge', field: 'code', code: 'totp_required', reason: 'Enter your code.' }));
const throws = (id: string) => plugin(id, () => {
  throw new Error('boom');
});
const rejects = (id: string) => plugin(id, async () => {
  throw new Error('async boom');
});
const hangs = (id: string) => plugin(id, () => new Promise(() => {}), 20);
const slowAllow = (id: string) => plugin(id, () => new Promise((resolve) => setTimeout(() => resolve({ outcome: 'allow' }), 5)), 1000);
const answers = (id: string, value: unknown) => plugin(id, () => value);
/** A plugin that handles another hook only, so technicianLogin skips it. */
const otherHook = (id: string) => definePlugin<unknown>({
  id, name: id, description: 'pin only', settings: z.unknown(),
  hooks: { pinIssue: () => { calls.push(id); return { outcome: 'deny', code: 'never', reason: 'never' }; } },
});

interface Case {
  name: string;
  chain: PolicyPlugin<unknown>[];
  whenAllContinue?: 'allow' | 'deny';
  outcome: 'allow' | 'deny' | 'challenge';
  code?: string;
  /** Each traced plugin as `id:outcome` (or `id:outcome:code` for deny and challenge). */
  trace: string[];
  /** Plugins whose handler ran; defaults to the traced ones. */
  ran?: string[];
}

const cases: Case[] = [
  { name: 'empty chain, implicit allow', chain: [], outcome: 'allow', trace: [] },
  { name: 'empty chain, implicit deny', chain: [], whenAllContinue: 'deny', outcome: 'deny', code: 'no_plugin_allowed', trace: [] },
  { name: 'runs in order', chain: [pass('a'), pass('b'), pass('c')], outcome: 'allow', trace: ['a:continue', 'b:continue', 'c:continue'] },
  { name: 'all continue → whenAllContinue deny', chain: [pass('a'), pass('b')], whenAllContinue: 'deny', outcome: 'deny', code: 'no_plugin_allowed', trace: ['a:continue', 'b:continue'] },
  { name: 'an explicit allow beats the implicit deny', chain: [pass('a'), allow('b')], whenAllContinue: 'deny', outcome: 'allow', trace: ['a:continue', 'b:allow'] },
  { name: 'allow does not stop the chain', chain: [allow('a'), pass('b')], whenAllContinue: 'deny', outcome: 'allow', trace: ['a:allow', 'b:continue'] },
  {
    name: 'first deny wins and stops later plugins', chain: [pass('a'), deny('b'), deny('c'), allow('d')],
    outcome: 'deny', code: 'b_says_no', trace: ['a:continue', 'b:deny:b_says_no'],
  },
  { name: 'explicit deny beats an earlier allow', chain: [allow('a'), deny('b')], outcome: 'deny', code: 'b_says_no', trace: ['a:allow', 'b:deny:b_says_no'] },
  { name: 'challenge stops the chain', chain: [pass('a'), challenge('b'), deny('c')], outcome: 'challenge', code: 'totp_required', trace: ['a:continue', 'b:challenge:totp_required'] },
  { name: 'deny before a challenge wins', chain: [deny('a'), challenge('b')], outcome: 'deny', code: 'a_says_no', trace: ['a:deny:a_says_no'] },
  { name: 'a plugin that throws denies', chain: [allow('a'), throws('b'), allow('c')], outcome: 'deny', code: 'plugin_error', trace: ['a:allow', 'b:deny:plugin_error'] },
  { name: 'a plugin that rejects denies', chain: [rejects('a'), allow('b')], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'a plugin that hangs denies after its timeout', chain: [allow('a'), hangs('b'), allow('c')], outcome: 'deny', code: 'plugin_timeout', trace: ['a:allow', 'b:deny:plugin_timeout'] },
  { name: 'a slow plugin within its timeout is waited for', chain: [slowAllow('a')], whenAllContinue: 'deny', outcome: 'allow', trace: ['a:allow'] },
  { name: 'undefined verdict denies', chain: [answers('a', undefined)], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'a bare string verdict denies', chain: [answers('a', 'allow')], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'an unknown outcome denies', chain: [answers('a', { outcome: 'abstain' })], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'a deny without code denies as plugin_error', chain: [answers('a', { outcome: 'deny', reason: 'x' })], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'a challenge without field denies', chain: [answers('a', { outcome: 'challenge', code: 'c', reason: 'r' })], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'facts that are not an object deny', chain: [answers('a', { outcome: 'allow', facts: 'oops' })], outcome: 'deny', code: 'plugin_error', trace: ['a:deny:plugin_error'] },
  { name: 'plugins without the hook are skipped', chain: [otherHook('p'), deny('a')], outcome: 'deny', code: 'a_says_no', trace: ['a:deny:a_says_no'], ran: ['a'] },
];

function context(overrides: Partial<HookContexts['technicianLogin']> = {}): HookContexts['technicianLogin'] {
  return {
    ip: '192.0.2.7', at: Date.UTC(2026, 0, 5, 9), actor: { id: 'u1', email: 'tech@example.test', role: 'technician', groups: [] },
    sessionId: null, channel: 'console', facts: {}, email: 'tech@example.test', method: 'password', code: null, ...overrides,
  };
}

function traceLines(trace: { plugin: string; outcome: string; code?: string }[]): string[] {
  return trace.map((s) => [s.plugin, s.outcome, ...(s.code ? [s.code] : [])].join(':'));
}

describe('policy pipeline', () => {
  let db: DB;
  let pipeline: PolicyPipeline;
  let strict: PolicyPipeline;
  before(async () => {
    db = await openDatabase(':memory:');
    pipeline = new PolicyPipeline(new AuditLog(db, new ManualClock()), new ManualClock(), createLogger('silent'));
    strict = new PolicyPipeline(new AuditLog(db, new ManualClock()), new ManualClock(), createLogger('silent'), { ...whenAllContinue, technicianLogin: 'deny' });
  });
  after(() => db.destroy());

  const auditCount = async () => (await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  for (const c of cases) {
    it(c.name, async () => {
      calls = [];
      pipeline.setActive(c.chain.map((p) => ({ plugin: p, settings: {} })));
      // The hook's default comes from one registry; a pipeline built with 'deny' shows the other branch.
      const chosen = c.whenAllContinue === 'deny' ? strict : pipeline;
      chosen.setActive(c.chain.map((p) => ({ plugin: p, settings: {} })));
      const decision = await chosen.explain('technicianLogin', context());
      assert.equal(decision.outcome, c.outcome);
      assert.equal(decision.code, c.code);
      assert.deepEqual(traceLines(decision.trace), c.trace);
      assert.deepEqual(calls, c.ran ?? c.trace.map((line) => line.split(':')[0]));
      if (c.outcome === 'challenge') assert.equal(decision.field, 'code');
      if (c.outcome === 'deny') assert.equal(typeof decision.reason, 'string');
      for (const step of decision.trace) assert.ok(step.ms >= 0);
    });
  }

  it('passes each plugin its own settings and the tools', async () => {
    const seen: unknown[] = [];
    const withSettings = definePlugin<{ n: number }>({
      id: 'with-settings', name: 'w', description: 'w', settings: z.object({ n: z.number() }),
      hooks: { technicianLogin: (_c, s, tools) => { seen.push(s.n, tools.now()); return { outcome: 'continue' }; } },
    });
    pipeline.setActive([{ plugin: withSettings, settings: { n: 7 } }]);
    await pipeline.explain('technicianLogin', context());
    assert.deepEqual(seen, [7, new ManualClock().now()]);
  });

  it('shows facts from earlier plugins to later ones, keyed by plugin id', async () => {
    let seenByB: unknown;
    const a = plugin('a', () => ({ outcome: 'continue', facts: { country: 'DE' } }));
    const b = plugin('b', (ctx) => {
      seenByB = structuredClone(ctx.facts);
      return { outcome: 'allow', facts: { checked: true } };
    });
    pipeline.setActive([a, b].map((p) => ({ plugin: p, settings: {} })));
    const decision = await pipeline.explain('technicianLogin', context({ facts: { core: { mfa: false } } }));
    assert.deepEqual(seenByB, { core: { mfa: false }, a: { country: 'DE' } });
    assert.deepEqual(decision.facts, { core: { mfa: false }, a: { country: 'DE' }, b: { checked: true } });
  });

  it('decide() writes one audit entry policy.<hook> with the trace', async () => {
    pipeline.setActive([allow('a'), deny('b')].map((p) => ({ plugin: p, settings: {} })));
    const before = await auditCount();
    const decision = await pipeline.decide('technicianLogin', context(), { type: 'user', id: 'u1' });
    assert.equal(await auditCount(), before + 1);
    const row = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(row.action, 'policy.technicianLogin');
    assert.equal(row.outcome, 'deny');
    assert.equal(row.actor_id, 'u1');
    assert.equal(row.actor_email, 'tech@example.test');
    assert.equal(row.ip, '192.0.2.7');
    assert.equal(row.target_type, 'user');
    assert.equal(row.target_id, 'u1');
    const details = JSON.parse(row.details) as { code: string; trace: unknown[]; channel: string };
    assert.equal(details.code, 'b_says_no');
    assert.equal(details.channel, 'console');
    assert.deepEqual(details.trace, decision.trace);
    assert.deepEqual(traceLines(decision.trace), ['a:allow', 'b:deny:b_says_no']);
  });

  it('decide() names the hook in the action and audits allows too', async () => {
    const pinPlugin = definePlugin<unknown>({
      id: 'pin-ok', name: 'p', description: 'p', settings: z.unknown(), hooks: { pinIssue: () => ({ outcome: 'allow' }) },
    });
    pipeline.setActive([{ plugin: pinPlugin, settings: {} }]);
    const technician = { id: 'u2', email: 't2@example.test', role: 'technician' as const, groups: [] };
    await pipeline.decide('pinIssue', { ip: '192.0.2.8', at: 0, actor: technician, sessionId: 's1', channel: 'api', facts: {}, technician });
    const row = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(row.action, 'policy.pinIssue');
    assert.equal(row.outcome, 'allow');
    assert.equal((JSON.parse(row.details) as { sessionId: string }).sessionId, 's1');
  });

  it('explain() writes no audit entry', async () => {
    pipeline.setActive([allow('a'), deny('b'), hangs('c')].map((p) => ({ plugin: p, settings: {} })));
    const before = await auditCount();
    await pipeline.explain('technicianLogin', context());
    pipeline.setActive([throws('a')].map((p) => ({ plugin: p, settings: {} })));
    await pipeline.explain('technicianLogin', context());
    assert.equal(await auditCount(), before);
  });

  it('setActive() copies the chain, so changing the caller\'s array later has no effect', async () => {
    const chain = [{ plugin: pass('a'), settings: {} }];
    pipeline.setActive(chain);
    chain.push({ plugin: deny('b'), settings: {} });
    assert.equal(pipeline.getActive().length, 1);
    assert.equal((await pipeline.explain('technicianLogin', context())).outcome, 'allow');
  });
});

describe('plugin isolation', () => {
  it('gives each plugin a frozen copy: a plugin cannot change what later plugins see', async () => {
    const { PolicyPipeline } = await import('./pipeline.js');
    const { ManualClock } = await import('../support/clock.js');
    const { createLogger } = await import('../support/logger.js');
    const seen: string[] = [];
    const tamper = { id: 'tamper', name: 't', description: 't', settings: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never,
      hooks: { technicianLogin: (ctx: { actor: { role: string } }) => { try { ctx.actor.role = 'account_admin'; } catch { /* frozen */ } return { outcome: 'continue' as const }; } } };
    const observe = { id: 'observe', name: 'o', description: 'o', settings: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never,
      hooks: { technicianLogin: (ctx: { actor: { role: string } }) => { seen.push(ctx.actor.role); return { outcome: 'continue' as const }; } } };
    const audit = { record: async () => undefined } as never;
    const pipeline = new PolicyPipeline(audit, new ManualClock(), createLogger('silent'));
    pipeline.setActive([{ plugin: tamper as never, settings: {} }, { plugin: observe as never, settings: {} }]);
    const context = { ip: '127.0.0.1', at: 0, actor: { id: 'u', email: 'e', role: 'technician' as const, groups: [] }, sessionId: null, channel: null, facts: {}, email: 'e', method: 'password' as const, code: null };
    await pipeline.explain('technicianLogin', context);
    assert.deepEqual(seen, ['technician']);
    assert.equal(context.actor.role, 'technician');
  });
});
