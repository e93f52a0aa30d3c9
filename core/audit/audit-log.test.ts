import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { settings } from '../../config/schema.js';
import { openDatabase, type DB } from '../db/open.js';
import { ManualClock } from '../support/clock.js';
import { AuditLog, GENESIS_HASH, entryHash, type AuditEvent } from './audit-log.js';
import { verifyAuditChain } from './verify.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Some varied events: different actions, actors, outcomes, details. */
const event = (i: number): AuditEvent => ({
  action: i % 2 ? 'auth.login' : 'user.update',
  outcome: i % 3 ? 'success' : 'failure',
  actorId: `u${i}`,
  actorEmail: `user${i}@example.test`,
  ip: `10.0.0.${i}`,
  targetType: 'user',
  targetId: `t${i}`,
  details: { i },
});

/** A fresh in-memory log holding `count` entries, seq 1..count. */
async function logWith(count: number): Promise<{ db: DB; audit: AuditLog; clock: ManualClock }> {
  const db = await openDatabase(':memory:');
  const clock = new ManualClock();
  const audit = new AuditLog(db, clock);
  for (let i = 1; i <= count; i += 1) {
    await audit.record(event(i));
    clock.advance(1000);
  }
  return { db, audit, clock };
}

const rows = (db: DB) => db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
const row = (db: DB, seq: number) => db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();

describe('audit log chain', () => {
  let db: DB;
  let audit: AuditLog;
  beforeEach(async () => {
    ({ db, audit } = await logWith(5));
  });
  afterEach(() => db.destroy());

  it('starts at GENESIS_HASH and links every entry to the one before', async () => {
    const all = await rows(db);
    assert.equal(all.length, 5);
    assert.equal(all[0]!.prev_hash, GENESIS_HASH);
    for (let i = 1; i < all.length; i += 1) assert.equal(all[i]!.prev_hash, all[i - 1]!.hash);
    for (const r of all) {
      const { seq: _seq, hash, ...fields } = r;
      assert.equal(hash, entryHash(fields));
      assert.match(hash, /^[0-9a-f]{64}$/);
    }
  });

  it('stores every field of the event, with null for what was not given', async () => {
    await audit.record({ action: 'setup.first_admin', outcome: 'info' });
    const last = await row(db, 6);
    assert.equal(last.action, 'setup.first_admin');
    assert.equal(last.outcome, 'info');
    assert.equal(last.actor_id, null);
    assert.equal(last.ip, null);
    assert.equal(last.details, '{}');
    const first = await row(db, 1);
    assert.deepEqual([first.actor_email, first.ip, first.target_id, JSON.parse(first.details)], ['user1@example.test', '10.0.0.1', 't1', { i: 1 }]);
  });

  it('verifies an intact log, and an empty one', async () => {
    assert.deepEqual(await verifyAuditChain(db), { ok: true, entries: 5 });
    const empty = await openDatabase(':memory:');
    try {
      assert.deepEqual(await verifyAuditChain(empty), { ok: true, entries: 0 });
    } finally {
      await empty.destroy();
    }
  });

  // Each case tampers with the 5-entry log and names the first entry the verifier must flag.
  const tamperCases: Array<{ name: string; brokenAt: number; problem: RegExp; tamper: (db: DB) => Promise<unknown> }> = [
    {
      name: 'a changed field of a middle entry',
      brokenAt: 3, problem: /altered/,
      tamper: (db) => db.updateTable('audit_log').set({ outcome: 'success', actor_email: 'someone-else@example.test' }).where('seq', '=', 3).execute(),
    },
    {
      name: 'changed details of a middle entry',
      brokenAt: 2, problem: /altered/,
      tamper: (db) => db.updateTable('audit_log').set({ details: '{"i":99}' }).where('seq', '=', 2).execute(),
    },
    {
      name: 'a changed timestamp',
      brokenAt: 4, problem: /altered/,
      tamper: (db) => db.updateTable('audit_log').set({ at: 0 }).where('seq', '=', 4).execute(),
    },
    {
      name: 'a changed stored hash',
      brokenAt: 3, problem: /altered/,
      tamper: (db) => db.updateTable('audit_log').set({ hash: 'f'.repeat(64) }).where('seq', '=', 3).execute(),
    },
    {
      name: 'a changed first prev_hash',
      brokenAt: 1, problem: /previous-hash/,
      tamper: (db) => db.updateTable('audit_log').set({ prev_hash: 'a'.repeat(64) }).where('seq', '=', 1).execute(),
    },
    {
      name: 'a deleted middle entry',
      brokenAt: 4, problem: /previous-hash/,
      tamper: (db) => db.deleteFrom('audit_log').where('seq', '=', 3).execute(),
    },
    {
      name: 'a deleted first entry',
      brokenAt: 2, problem: /previous-hash/,
      tamper: (db) => db.deleteFrom('audit_log').where('seq', '=', 1).execute(),
    },
    {
      name: 'an altered entry whose hash was recomputed',
      brokenAt: 4, problem: /previous-hash/,
      tamper: async (db) => {
        const { seq, hash: _hash, ...fields } = await row(db, 3);
        const forged = { ...fields, outcome: 'success' };
        await db.updateTable('audit_log').set({ ...forged, hash: entryHash(forged) }).where('seq', '=', seq).execute();
      },
    },
    {
      name: 'an altered entry with its hash and its successor\'s link recomputed, but not the successor\'s hash',
      brokenAt: 4, problem: /altered/,
      tamper: async (db) => {
        const { seq, hash: _hash, ...fields } = await row(db, 3);
        const forged = { ...fields, actor_email: 'innocent@example.test' };
        const forgedHash = entryHash(forged);
        await db.updateTable('audit_log').set({ ...forged, hash: forgedHash }).where('seq', '=', seq).execute();
        await db.updateTable('audit_log').set({ prev_hash: forgedHash }).where('seq', '=', 4).execute();
      },
    },
    {
      name: 'two entries swapped (reordered)',
      brokenAt: 2, problem: /previous-hash/,
      tamper: async (db) => {
        const { seq: _a, ...second } = await row(db, 2);
        const { seq: _b, ...third } = await row(db, 3);
        await db.updateTable('audit_log').set(third).where('seq', '=', 2).execute();
        await db.updateTable('audit_log').set(second).where('seq', '=', 3).execute();
      },
    },
    {
      name: 'a forged entry inserted in place of a deleted one, with a valid hash',
      brokenAt: 4, problem: /previous-hash/,
      tamper: async (db) => {
        const prev = await row(db, 2);
        await db.deleteFrom('audit_log').where('seq', '=', 3).execute();
        const forged = { prev_hash: prev.hash, at: prev.at + 1, action: 'auth.login', outcome: 'success', actor_id: null, actor_email: 'x@example.test', ip: null, target_type: null, target_id: null, details: '{}' };
        await db.insertInto('audit_log').values({ seq: 3, ...forged, hash: entryHash(forged) }).execute();
      },
    },
    {
      name: 'a forged entry appended that links to an older entry',
      brokenAt: 6, problem: /previous-hash/,
      tamper: async (db) => {
        const prev = await row(db, 2);
        const forged = { prev_hash: prev.hash, at: prev.at + 1, action: 'auth.login', outcome: 'success', actor_id: null, actor_email: 'x@example.test', ip: null, target_type: null, target_id: null, details: '{}' };
        await db.insertInto('audit_log').values({ ...forged, hash: entryHash(forged) }).execute();
      },
    },
  ];
  for (const c of tamperCases) {
    it(`detects ${c.name} at entry ${c.brokenAt}`, async () => {
      await c.tamper(db);
      const report = await verifyAuditChain(db);
      assert.equal(report.ok, false);
      assert.ok(!report.ok);
      assert.equal(report.brokenAt, c.brokenAt);
      assert.match(report.problem, c.problem);
    });
  }

  it('keeps the chain valid under 50 concurrent record() calls', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => audit.record(event(100 + i))));
    const all = await rows(db);
    assert.equal(all.length, 55);
    assert.equal(new Set(all.map((r) => r.prev_hash)).size, 55, 'no two entries share a predecessor (no fork)');
    assert.deepEqual(await verifyAuditChain(db), { ok: true, entries: 55 });
  });

  it('verifies across page boundaries (more than 1000 entries)', async () => {
    for (let i = 0; i < 1200; i += 1) await audit.record({ action: 'auth.login', outcome: 'failure', details: { i } });
    assert.deepEqual(await verifyAuditChain(db), { ok: true, entries: 1205 });
    await db.updateTable('audit_log').set({ ip: '6.6.6.6' }).where('seq', '=', 1100).execute();
    const report = await verifyAuditChain(db);
    assert.ok(!report.ok);
    assert.equal(report.brokenAt, 1100);
    assert.equal(report.entries, 1100);
  });

  it('records nothing when the transaction fails, leaving the chain intact', async () => {
    await sql`create trigger fail_audit before insert on audit_log when new.action = 'boom' begin select raise(abort, 'boom'); end`.execute(db);
    await assert.rejects(audit.record({ action: 'boom', outcome: 'info' }));
    await audit.record({ action: 'after.boom', outcome: 'info' });
    assert.deepEqual(await verifyAuditChain(db), { ok: true, entries: 6 });
  });
});

describe('audit verify CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rescuebox-audit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `node --import tsx core/audit/verify-cli.ts` with DATA_DIR set; no other setting leaks in. */
  function runCli(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    for (const s of Object.values(settings)) if (s.env !== 'DATA_DIR') delete env[s.env];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'core/audit/verify-cli.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('exits 0 and reports "intact" on a real, untouched database', async () => {
    const db = await openDatabase(dir);
    const audit = new AuditLog(db, new ManualClock());
    for (let i = 1; i <= 4; i += 1) await audit.record(event(i));
    await db.destroy();
    const { code, stdout } = await runCli(dir);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /intact/);
    assert.match(stdout, /4 entries/);
  });

  it('exits 1 naming the entry after a row was changed directly in SQLite', async () => {
    const raw = new Sqlite(join(dir, 'appliance.db'));
    raw.prepare('update audit_log set actor_email = ? where seq = 2').run('someone-else@example.test');
    raw.close();
    const { code, stderr } = await runCli(dir);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /TAMPERED at entry 2\b/);
  });

  it('exits 2 when DATA_DIR holds no database', async () => {
    const { code, stderr } = await runCli(join(dir, 'nothing-here'));
    assert.equal(code, 2);
    assert.match(stderr, /No database/);
  });
});
