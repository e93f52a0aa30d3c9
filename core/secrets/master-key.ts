import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../../config/schema.js';

/** The master key could not be found, read or matched: the message says what to do. */
export class MasterKeyError extends Error {}

/** Where the master key came from, for messages. */
export interface MasterKey {
  key: Buffer;
  /** `MASTER_KEY` or the file's path. */
  source: string;
  /** The file, when the key lives in one (rotation rewrites it). */
  file: string | null;
}

/** The default key file: beside the data dir, never inside it (`./data` → `./data.master.key`). */
export const defaultMasterKeyFile = (dataDir: string): string => `${resolve(dataDir).replace(/[/\\]+$/, '')}.master.key`;

/** The key file this configuration uses (MASTER_KEY_FILE or the default). */
export const masterKeyFile = (config: Pick<Config, 'masterKeyFile' | 'dataDir'>): string => resolve(config.masterKeyFile ?? defaultMasterKeyFile(config.dataDir));

/** Reads a key as written by `formatMasterKey`: 32 bytes in base64 (or 64 hex digits). */
export function parseMasterKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const hex = /^[0-9a-f]{64}$/i.test(trimmed);
  const key = hex ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || (!hex && key.toString('base64') !== trimmed)) {
    throw new MasterKeyError(`${where} does not hold a master key (expected 32 bytes in base64, as \`openssl rand -base64 32\` prints).`);
  }
  return key;
}

/** The text form of a key, as kept in the key file. */
export const formatMasterKey = (key: Buffer): string => `${key.toString('base64')}\n`;

/** Writes a new key file readable only by its owner; never overwrites one. */
export function writeMasterKeyFile(file: string, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, formatMasterKey(key), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/**
 * Finds the master key: MASTER_KEY, else the key file. When neither exists and `mayCreate`
 * (a database that holds no sealed secret yet), a new key is generated into the file.
 */
export function loadMasterKey(config: Pick<Config, 'masterKeyFile' | 'masterKey' | 'dataDir'>, mayCreate: boolean): MasterKey & { created: boolean } {
  if (config.masterKey) return { key: parseMasterKey(config.masterKey, 'MASTER_KEY'), source: 'MASTER_KEY', file: null, created: false };
  const file = masterKeyFile(config);
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new MasterKeyError(`Cannot read the master key file ${file} (MASTER_KEY_FILE): ${(error as Error).message}`);
    }
    return { key: parseMasterKey(text, `The master key file ${file} (MASTER_KEY_FILE)`), source: file, file, created: false };
  }
  if (!mayCreate) {
    throw new MasterKeyError(
      `No master key: ${file} (MASTER_KEY_FILE) does not exist and MASTER_KEY is not set, but the database in ${resolve(config.dataDir)} ` +
      'holds secrets encrypted under a master key. Restore the key file from where you keep it (or set MASTER_KEY) and start again; ' +
      'without it the stored secrets cannot be opened.',
    );
  }
  const key = randomBytes(32);
  try {
    writeMasterKeyFile(file, key);
  } catch (error) {
    throw new MasterKeyError(`Cannot create the master key file ${file} (MASTER_KEY_FILE): ${(error as Error).message}. Set MASTER_KEY_FILE to a writable place outside the data dir.`);
  }
  return { key, source: file, file, created: true };
}
