import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { Config } from '../../config/schema.js';
import type { DB } from '../db/open.js';
import { loadMasterKey, MasterKeyError, parseMasterKey, type MasterKey } from './master-key.js';
import { isSealed, SealError, Vault } from './vault.js';

const CHECK_NAME = 'master-key-check';
const CHECK_CONTEXT = 'appliance:master-key-check';
const CHECK_TEXT = 'rescuebox master key check';

/** The vault the appliance runs with, and how its key was found. */
export interface Keyring {
  vault: Vault;
  master: (MasterKey & { created: boolean }) | null;
}

const opens = (vault: Vault, sealed: string): boolean => {
  try {
    return vault.openText(sealed, CHECK_CONTEXT) === CHECK_TEXT;
  } catch (error) {
    if (error instanceof SealError) return false;
    throw error;
  }
};

/** The file a rotation writes the new key to before it commits (finished at the next start if interrupted). */
export const pendingKeyFile = (file: string): string => `${file}.next`;

/**
 * Opens the vault for a database: loads the master key (creating it only while the database
 * holds no sealed secret yet) and proves it is the key the database was sealed with. A wrong or
 * missing key stops the start with a message saying what to do.
 */
export async function openKeyring(db: DB, config: Pick<Config, 'masterKeyFile' | 'masterKey' | 'dataDir'>, now: number, options: { ephemeral?: boolean; create?: boolean } = {}): Promise<Keyring> {
  const check = await db.selectFrom('appliance_secrets').select('sealed').where('name', '=', CHECK_NAME).executeTakeFirst();
  let master: (MasterKey & { created: boolean }) | null = null;
  let vault: Vault;
  if (options.ephemeral) vault = Vault.ephemeral();
  else {
    if (!check && options.create === false) throw new MasterKeyError('This database has no master key yet: start the appliance once to create it.');
    master = loadMasterKey(config, !check);
    vault = new Vault(master.key);
    if (check && !opens(vault, check.sealed)) vault = finishPendingRotation(master, check.sealed) ?? wrongKey(master, vault, check.sealed);
  }
  if (!check) await db.insertInto('appliance_secrets').values({ name: CHECK_NAME, sealed: vault.seal(CHECK_TEXT, CHECK_CONTEXT), created_at: now }).execute();
  return { vault, master };
}

/** A rotation that committed the database but did not get to replace the key file: finish it. */
function finishPendingRotation(master: MasterKey, sealedCheck: string): Vault | null {
  if (!master.file || !existsSync(pendingKeyFile(master.file))) return null;
  const next = new Vault(parseMasterKey(readFileSync(pendingKeyFile(master.file), 'utf8'), pendingKeyFile(master.file)));
  if (!opens(next, sealedCheck)) return null;
  renameSync(pendingKeyFile(master.file), master.file);
  return next;
}

function wrongKey(master: MasterKey, vault: Vault, sealedCheck: string): never {
  const expected = isSealed(sealedCheck) ? sealedCheck.split('.')[1] : '?';
  throw new MasterKeyError(
    `The master key from ${master.source} (key id ${vault.keyId}) is not the key this database's secrets were sealed with ` +
    `(key id ${expected}). Start with the right MASTER_KEY_FILE / MASTER_KEY.`,
  );
}

/** Removes a leftover pending key file after a rotation that did not commit. */
export function discardPendingKey(file: string): void {
  rmSync(pendingKeyFile(file), { force: true });
}

/** The sealed self-check, re-sealed for a new key during rotation. */
export const keyCheck = { name: CHECK_NAME, context: CHECK_CONTEXT };
