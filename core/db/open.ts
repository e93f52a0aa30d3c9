import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite-adapter.js';

export type DB = Kysely<Database>;

/** Opens the appliance database in the data directory (or in memory) and migrates it; `synchronous` as SQLITE_SYNCHRONOUS says. */
export async function openDatabase(dataDir: string | ':memory:', synchronous: 'normal' | 'full' = 'normal'): Promise<DB> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = join(dataDir, 'appliance.db');
    restrictDataFiles(dataDir, file);
  }
  const db = openSqlite(file, synchronous);
  await migrateToLatest(db);
  return db;
}

/**
 * The data dir is the appliance's alone: 0700, and the database 0600 before SQLite opens it
 * (SQLite gives its -wal and -shm files the database file's mode). Older installs are tightened.
 */
function restrictDataFiles(dataDir: string, file: string): void {
  chmodSync(dataDir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
}
