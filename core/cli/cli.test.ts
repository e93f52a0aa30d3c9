import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { settings } from '../../config/schema.js';
import { findUserRowByEmail, insertUser } from '../accounts/users.js';
import { AuditLog } from '../audit/audit-log.js';
import { verifyAuditChain } from '../audit/verify.js';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { openDatabase } from '../db/open.js';
import { ManualClock } from '../support/clock.js';
import { runCli } from './cli.js';
import { commands } from './registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI in-process against a data dir; returns exit code and output. */
async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } });
  return { code, out, err };
}

describe('rescuebox admin CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rescuebox-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(async () => {
    const db = await openDatabase(dir);
    const clock = new ManualClock();
    await insertUser(db, clock, { email: 'admin@example.test', role: 'account_admin', passwordHash: await hashPassword('Old-password-12345'), displayName: 'Admin' });
    await db.updateTable('users').set({ failed_logins: 7, locked_until: clock.now() + 3_600_000, enabled: 0 }).execute();
    await new AuditLog(db, clock).record({ action: 'auth.login', outcome: 'failure', actorEmail: 'admin@example.test' });
    await db.destroy();
  });

  test('--help from the real entry point lists every command (as `npm run rescuebox` runs it)', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const s of Object.values(settings)) delete env[s.env];
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', '--help'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    for (const command of commands) assert.ok(result.stdout.includes(command.usage), `help shows ${command.usage}`);
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'frobnicate'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command: frobnicate/);
  });

  test('a command on a data dir without a database says so and creates nothing', async () => {
    const result = await cli(join(dir, 'missing'), 'audit', 'verify');
    assert.equal(result.code, 2);
    assert.match(result.err, /No database/);
  });

  test('users unlock and reset-password: the new password works, the old does not, each step audited', async () => {
    assert.equal((await cli(dir, 'users', 'unlock', 'admin@example.test')).code, 0);
    const reset = await cli(dir, 'users', 'reset-password', 'admin@example.test', '--enable');
    assert.equal(reset.code, 0, reset.err);
    const password = /New password for admin@example\.test: (\S+)/.exec(reset.out)?.[1];
    assert.ok(password);
    const db = await openDatabase(dir);
    try {
      const row = await findUserRowByEmail(db, 'admin@example.test');
      assert.equal(row?.enabled, 1);
      assert.equal(row?.locked_until, null);
      assert.equal(await verifyPassword(password, row!.password_hash), true);
      assert.equal(await verifyPassword('Old-password-12345', row!.password_hash), false);
      const actions = (await db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
      assert.deepEqual(actions, ['auth.login', 'cli.user_unlocked', 'cli.password_reset']);
      assert.equal((await verifyAuditChain(db)).ok, true);
    } finally {
      await db.destroy();
    }
    const missing = await cli(dir, 'users', 'unlock', 'nobody@example.test');
    assert.equal(missing.code, 1);
  });

  test('audit export prints one JSON line per entry and verify reports the chain intact', async () => {
    const exported = await cli(dir, 'audit', 'export');
    const lines = exported.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; action: string });
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3]);
    const after2 = await cli(dir, 'audit', 'export', '--after', '2', '--format', 'syslog');
    assert.match(after2.out.trim(), /^<109>1 \S+ \S+ rescuebox \d+ cli\.password_reset \[rescuebox@32473 seq="3"/);
    assert.equal((await cli(dir, 'audit', 'export', '--format', 'xml')).code, 2);
    const verify = await cli(dir, 'audit', 'verify');
    assert.equal(verify.code, 0);
    assert.match(verify.out, /3 entries/);
  });
});
