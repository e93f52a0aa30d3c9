import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Sqlite from 'better-sqlite3';
import { loadConfig } from '../../config/load.js';
import { bootAppliance } from '../boot.js';
import { runCli } from '../cli/cli.js';
import { ManualClock } from '../support/clock.js';
import { createLogger } from '../support/logger.js';
import { buildTestAppliance, loggedInAs } from '../testing/appliance.js';
import { entryHash } from './audit-log.js';
import { createCheckpoint } from './checkpoints.js';
import { verifyAuditChain } from './verify.js';

const root = mkdtempSync(join(tmpdir(), 'rb-checkpoints-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A data dir with 6 audit entries, a signed checkpoint of entry 6 (its own entry is 7), then 2 more entries. */
async function seeded(): Promise<string> {
  const dataDir = join(root, `data${(counter += 1)}`);
  const a = await bootAppliance(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { clock: new ManualClock(), logger: createLogger('silent') });
  const { db, audit, checkpointKey, clock } = a.services;
  try {
    for (let i = 1; i <= 6; i += 1) await audit.record({ action: 'test.event', outcome: 'info', details: { i } });
    assert.ok(await createCheckpoint(db, audit, checkpointKey, clock.now()));
    assert.equal(await createCheckpoint(db, audit, checkpointKey, clock.now()), null, 'nothing new: a periodic run stays quiet');
    for (let i = 7; i <= 8; i += 1) await audit.record({ action: 'test.event', outcome: 'info', details: { i } });
  } finally {
    await db.destroy();
  }
  return dataDir;
}

/** `rescuebox …` in-process against a data dir. */
async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } });
  return { code, out, err };
}

/** What an attacker with write access to the database file (not the master key) does: SQL on the file. */
function tamper(dataDir: string, edit: (sql: Sqlite.Database) => void): void {
  const sql = new Sqlite(join(dataDir, 'appliance.db'));
  try {
    edit(sql);
  } finally {
    sql.close();
  }
}

/** Recomputes every hash from the first entry on, as an attacker hiding an edit would. */
function recomputeChain(sql: Sqlite.Database): void {
  let prev = '0'.repeat(64);
  for (const row of sql.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, never>[]) {
    const fields = { ...(row as Record<string, unknown>), prev_hash: prev } as Parameters<typeof entryHash>[0] & { seq: number };
    const hash = entryHash(fields);
    sql.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, fields.seq);
    prev = hash;
  }
}

describe('signed checkpoints of the audit chain head', () => {
  test('an intact log verifies: chain and checkpoints', async () => {
    const dir = await seeded();
    const result = await cli(dir, 'audit', 'verify');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /9 entries, hash chain verified, 1 signed checkpoints verified \(key [0-9a-f]{16}\)/);
  });

  test('an edited entry with the whole chain recomputed: the chain alone passes, the checkpoint catches it', async () => {
    const dir = await seeded();
    tamper(dir, (sql) => {
      sql.prepare('UPDATE audit_log SET details = ? WHERE seq = 3').run(JSON.stringify({ i: 'rewritten' }));
      recomputeChain(sql);
    });
    const { openDatabase } = await import('../db/open.js');
    const db = await openDatabase(dir);
    assert.equal((await verifyAuditChain(db)).ok, true, 'the plain hash chain is fooled');
    await db.destroy();
    const result = await cli(dir, 'audit', 'verify');
    assert.equal(result.code, 1);
    assert.match(result.err, /TAMPERED at entry 6: entry 6 does not match its signed checkpoint/);
  });

  test('a truncated tail is detected, also when the attacker deletes the stored checkpoints too (against an export)', async () => {
    const dir = await seeded();
    const exported = await cli(dir, 'audit', 'checkpoints', 'export');
    assert.equal(exported.code, 0, exported.err);
    const exportFile = join(root, `export${counter}.json`);
    writeFileSync(exportFile, exported.out);
    const publicKeyFile = join(root, `public${counter}.pem`);
    writeFileSync(publicKeyFile, (JSON.parse(exported.out) as { publicKey: string }).publicKey);

    tamper(dir, (sql) => sql.prepare('DELETE FROM audit_log WHERE seq >= 5').run());
    const truncated = await cli(dir, 'audit', 'verify');
    assert.equal(truncated.code, 1);
    assert.match(truncated.err, /the log ends at entry 4, but a signed checkpoint covers entry 6: entries were removed from the end \(truncated\)/);

    tamper(dir, (sql) => sql.prepare('DELETE FROM audit_checkpoints').run());
    const hidden = await cli(dir, 'audit', 'verify');
    assert.equal(hidden.code, 0, 'with every trace in the database gone, only an outside copy can tell');
    const anchored = await cli(dir, 'audit', 'verify', '--checkpoints', exportFile, '--public-key', publicKeyFile);
    assert.equal(anchored.code, 1);
    assert.match(anchored.err, /truncated/);
  });

  test('offline: an exported log checked with the exported checkpoints and the public key, no database or master key', async () => {
    const dir = await seeded();
    const exportFile = join(root, `offline${counter}.json`);
    writeFileSync(exportFile, (await cli(dir, 'audit', 'checkpoints', 'export')).out);
    const log = (await cli(dir, 'audit', 'export')).out;
    const logFile = join(root, `log${counter}.jsonl`);
    writeFileSync(logFile, log);
    const nowhere = join(root, 'no-such-data-dir');
    const ok = await cli(nowhere, 'audit', 'verify', '--log', logFile, '--checkpoints', exportFile);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /9 entries, hash chain verified, 1 signed checkpoints verified/);
    writeFileSync(logFile, log.trimEnd().split('\n').slice(0, 5).join('\n'));
    const cut = await cli(nowhere, 'audit', 'verify', '--log', logFile, '--checkpoints', exportFile);
    assert.equal(cut.code, 1);
    assert.match(cut.err, /truncated/);
  });

  test('a checkpoint forged with another key is refused', async () => {
    const dir = await seeded();
    const forger = generateKeyPairSync('ed25519');
    tamper(dir, (sql) => {
      sql.prepare('DELETE FROM audit_log WHERE seq >= 5').run();
      const head = sql.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const keyId = (sql.prepare('SELECT key_id FROM audit_checkpoints').get() as { key_id: string }).key_id;
      const signature = sign(null, Buffer.from(`rescuebox-audit-checkpoint/v1\n${keyId}\n${head.seq}\n${head.hash}\n1`), forger.privateKey).toString('base64');
      sql.prepare('DELETE FROM audit_checkpoints').run();
      sql.prepare('INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES (?, ?, 1, ?, ?)').run(head.seq, head.hash, keyId, signature);
    });
    const result = await cli(dir, 'audit', 'verify');
    assert.equal(result.code, 1);
    assert.match(result.err, /signature does not verify/);
  });

  test('HTTP: an admin signs the head on demand, exports the checkpoints with the public key, and the verify route checks them', async () => {
    const t = await buildTestAppliance();
    try {
      const { client } = await loggedInAs(t, 'account_admin');
      const made = await client.request('POST', '/api/v1/audit/checkpoints');
      assert.equal(made.status, 201);
      const { checkpoint } = (await made.json()) as { checkpoint: { seq: number; signature: string } };
      const exported = (await (await client.request('GET', '/api/v1/audit/checkpoints')).json()) as { publicKey: string; checkpoints: { seq: number }[] };
      assert.match(exported.publicKey, /BEGIN PUBLIC KEY/);
      assert.deepEqual(exported.checkpoints.map((c) => c.seq), [checkpoint.seq]);
      const verified = (await (await client.request('GET', '/api/v1/audit/verify')).json()) as { ok: boolean; checkpoints: number };
      assert.deepEqual([verified.ok, verified.checkpoints], [true, 1]);
      await t.services.db.deleteFrom('audit_log').where('seq', '>=', checkpoint.seq).execute();
      const broken = (await (await client.request('GET', '/api/v1/audit/verify')).json()) as { ok: boolean; problem: string };
      assert.equal(broken.ok, false);
      assert.match(broken.problem, /truncated/);
    } finally {
      await t.close();
    }
  });
});
