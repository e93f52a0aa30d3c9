import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { DB } from '../db/open.js';
import { applianceSecret } from '../secrets/appliance-secrets.js';
import type { Vault } from '../secrets/vault.js';
import type { AuditLog } from './audit-log.js';

/** A signed statement: "the audit chain's newest entry was `seq` with `hash`, at `at`". */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: number;
  keyId: string;
  signature: string;
}

/** The Ed25519 key that signs checkpoints: private half sealed in the database, public half for verifiers. */
export interface CheckpointKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  keyId: string;
}

/** What `audit checkpoints export` writes and an offline verifier reads. */
export interface CheckpointExport {
  format: 'rescuebox-audit-checkpoints/v1';
  publicKey: string;
  checkpoints: Checkpoint[];
}

/** Key id: the first 16 hex digits of SHA-256 over the public key's DER. */
export const keyIdOf = (publicKey: KeyObject): string => createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

/** The public key from a PEM, with its id. */
export function publicCheckpointKey(publicPem: string): { key: KeyObject; keyId: string } {
  const key = createPublicKey(publicPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the checkpoint public key must be Ed25519');
  return { key, keyId: keyIdOf(key) };
}

/** The appliance's checkpoint key (created on first use, sealed under the master key). */
export async function checkpointKey(db: DB, vault: Vault, now: number): Promise<CheckpointKey> {
  const make = () => Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const privateKey = createPrivateKey((await applianceSecret(db, vault, 'audit-checkpoint-key', make, now)).toString('utf8'));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey) };
}

/** The exact bytes a checkpoint signs. */
const statement = (c: Pick<Checkpoint, 'seq' | 'hash' | 'at' | 'keyId'>): Buffer => Buffer.from(`rescuebox-audit-checkpoint/v1\n${c.keyId}\n${c.seq}\n${c.hash}\n${c.at}`, 'utf8');

/** Whether a checkpoint's signature holds under a public key. */
export function checkpointSignatureValid(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return checkpoint.keyId === keyIdOf(publicKey) && verify(null, statement(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Signs the chain's current head and stores the checkpoint; it is also recorded as an audit
 * entry, so the forwarders carry it off the appliance. Unless `force`, does nothing when nothing
 * but the previous checkpoint's own entry was appended since it (periodic runs stay quiet).
 */
export async function createCheckpoint(db: DB, audit: AuditLog, key: CheckpointKey, now: number, force = false): Promise<Checkpoint | null> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash', 'action']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!head) return null;
  const last = await db.selectFrom('audit_checkpoints').select('seq').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const quiet = last && (Number(last.seq) === Number(head.seq) || (Number(last.seq) === Number(head.seq) - 1 && head.action === 'audit.checkpoint'));
  if (quiet && !force) return null;
  const unsigned = { seq: Number(head.seq), hash: head.hash, at: now, keyId: key.keyId };
  const checkpoint: Checkpoint = { ...unsigned, signature: sign(null, statement(unsigned), key.privateKey).toString('base64') };
  await db.insertInto('audit_checkpoints').values({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, key_id: checkpoint.keyId, signature: checkpoint.signature }).execute();
  await audit.record({ action: 'audit.checkpoint', outcome: 'info', details: { ...checkpoint } });
  return checkpoint;
}

/** Every stored checkpoint, oldest first. */
export async function listCheckpoints(db: DB): Promise<Checkpoint[]> {
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, at: Number(r.at), keyId: r.key_id, signature: r.signature }));
}

/** The export an auditor keeps: the public key and every checkpoint. */
export async function exportCheckpoints(db: DB, key: Pick<CheckpointKey, 'publicPem'>): Promise<CheckpointExport> {
  return { format: 'rescuebox-audit-checkpoints/v1', publicKey: key.publicPem, checkpoints: await listCheckpoints(db) };
}

/** Starts periodic checkpoints; returns the stop function. */
export function startCheckpointTimer(db: DB, audit: AuditLog, key: CheckpointKey, now: () => number, everyMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => void createCheckpoint(db, audit, key, now()).catch(onError), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
