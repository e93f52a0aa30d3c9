import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openSqlite } from './sqlite-adapter.js';

describe('SQLite adapter durability settings', () => {
  for (const [setting, expected] of [['normal', 1], ['full', 2]] as const) {
    it(`opens the file in WAL mode with synchronous=${setting}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rb-sqlite-'));
      const db = openSqlite(join(dir, 'a.db'), setting);
      try {
        assert.equal((await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db)).rows[0]?.journal_mode, 'wal');
        assert.equal((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous, expected);
      } finally {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
