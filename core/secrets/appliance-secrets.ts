import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { DB } from '../db/open.js';
import type { Vault } from './vault.js';

/** The sealed-value context of an appliance secret. */
export const applianceContext = (name: string): string => `appliance:${name}`;

/**
 * One of the appliance's own secrets (CSRF key, PIN key, signing keys…), generated once and kept
 * sealed in the database. A file an older version left in the data dir (`legacyFile`) is taken
 * over once and then deleted, so no key stays in plain text next to the database.
 */
export async function applianceSecret(db: DB, vault: Vault, name: string, make: () => Buffer, now: number, legacyFile?: string): Promise<Buffer> {
  const read = () => db.selectFrom('appliance_secrets').select('sealed').where('name', '=', name).executeTakeFirst();
  const found = await read();
  if (found) return vault.open(found.sealed, applianceContext(name));
  const value = legacyFile && existsSync(legacyFile) ? readFileSync(legacyFile) : make();
  await db.insertInto('appliance_secrets').values({ name, sealed: vault.seal(value, applianceContext(name)), created_at: now }).onConflict((oc) => oc.doNothing()).execute();
  if (legacyFile) rmSync(legacyFile, { force: true });
  return vault.open((await read())!.sealed, applianceContext(name));
}
