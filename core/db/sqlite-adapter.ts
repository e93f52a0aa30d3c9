import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

/**
 * The one place that knows the database is SQLite: it opens the file with the settings the
 * appliance relies on (WAL for concurrent readers, foreign keys, a busy timeout instead of
 * instant SQLITE_BUSY). A PostgreSQL adapter would sit beside this file with the same shape.
 */
export function openSqlite(file: string): Kysely<Database> {
  const connection = new Sqlite(file);
  if (file !== ':memory:') connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
}
