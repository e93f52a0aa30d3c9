import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite-adapter.js';

export type DB = Kysely<Database>;

/** Opens the appliance database in the data directory (or in memory) and migrates it. */
export async function openDatabase(dataDir: string | ':memory:'): Promise<DB> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = join(dataDir, 'appliance.db');
  }
  const db = openSqlite(file);
  await migrateToLatest(db);
  return db;
}
