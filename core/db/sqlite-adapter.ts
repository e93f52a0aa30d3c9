import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

/**
 * The one place that knows the database is SQLite: it opens the file with the settings the
 * appliance relies on (WAL for concurrent readers, foreign keys, a busy timeout instead of
 * instant SQLITE_BUSY). A PostgreSQL adapter would sit beside this file with the same shape.
 *
 * Durability: in WAL mode every commit is in the WAL file before better-sqlite3 returns, so a
 * write answered 2xx survives the process dying (kill -9, OOM; ui/e2e/crash-durability.test.ts).
 * `normal` syncs the WAL to disk only at checkpoints: an OS crash or power loss can roll back
 * the last commits (the file stays consistent). `full` fsyncs every commit, which survives
 * power loss too but blocks the event loop for the fsync (measured here: 0.3 ms → 5 ms a commit).
 */
export function openSqlite(file: string, synchronous: 'normal' | 'full' = 'normal'): Kysely<Database> {
  const connection = new Sqlite(file);
  if (file !== ':memory:') connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  connection.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
}
