import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkpointKey, createCheckpoint, exportCheckpoints, publicCheckpointKey, type Checkpoint, type CheckpointExport } from '../../audit/checkpoints.js';
import { formatJsonLine, parseJsonLine } from '../../audit/forward/json-line.js';
import { formatRfc5424, localOrigin } from '../../audit/forward/rfc5424.js';
import { storedCheckpoints, verifyAuditChain, verifyWithCheckpoints } from '../../audit/verify.js';
import { openDatabase, type DB } from '../../db/open.js';
import { MasterKeyError } from '../../secrets/master-key.js';
import { CliError, parseArgs, type CliContext, type Command } from '../command.js';

/** Where `audit verify` takes the checkpoints and the public key from. */
async function checkpointSource(options: Map<string, string | true>, ctx: CliContext, db: DB): Promise<{ checkpoints: Checkpoint[]; publicKey: KeyObject; keyId: string } | null> {
  const file = options.get('checkpoints');
  const pinned = options.get('public-key');
  if (typeof file === 'string') {
    const exported = JSON.parse(readFileSync(file, 'utf8')) as CheckpointExport;
    if (exported.format !== 'rescuebox-audit-checkpoints/v1') throw new CliError(`${file} is not a checkpoint export`);
    const { key, keyId } = publicCheckpointKey(typeof pinned === 'string' ? readFileSync(pinned, 'utf8') : exported.publicKey);
    return { checkpoints: exported.checkpoints, publicKey: key, keyId };
  }
  try {
    const { vault } = await ctx.keyring();
    const key = await checkpointKey(db, vault, ctx.clock.now());
    const publicKey = typeof pinned === 'string' ? publicCheckpointKey(readFileSync(pinned, 'utf8')) : { key: key.publicKey, keyId: key.keyId };
    return { checkpoints: await storedCheckpoints(db), publicKey: publicKey.key, keyId: publicKey.keyId };
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    ctx.err(`Checkpoints NOT checked (${error.message}). Give --checkpoints FILE to check against an export.`);
    return null;
  }
}

/** An exported log (JSON lines of `audit export`) in a throwaway in-memory database, for checking offline. */
async function loadExportedLog(file: string): Promise<DB> {
  const db = await openDatabase(':memory:');
  const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map(parseJsonLine);
  for (const row of rows) await db.insertInto('audit_log').values(row).execute();
  return db;
}

/** `rescuebox audit verify`: the hash chain and the signed checkpoints; exit 1 when either is broken. */
export const auditVerify: Command = {
  name: 'audit verify',
  usage: 'rescuebox audit verify [--checkpoints FILE [--log FILE]] [--public-key FILE]',
  summary: 'Check the audit log: hash chain, and signed checkpoints (detects altered entries even with the chain recomputed, and a truncated tail). Offline: --log (an `audit export`) with --checkpoints (an `audit checkpoints export`) and --public-key.',
  async run(args, ctx) {
    const { options } = parseArgs(args, ['checkpoints', 'log', 'public-key']);
    const log = options.get('log');
    if (typeof log === 'string' && typeof options.get('checkpoints') !== 'string') throw new CliError('--log needs --checkpoints FILE');
    const db = typeof log === 'string' ? await loadExportedLog(log) : await ctx.db();
    try {
      const source = await checkpointSource(options, ctx, db);
      const report = source ? await verifyWithCheckpoints(db, source.checkpoints, source.publicKey) : { ...(await verifyAuditChain(db)), checkpoints: 0 };
      if (report.ok) {
        ctx.out(`Audit log intact: ${report.entries} entries, hash chain verified${source ? `, ${report.checkpoints} signed checkpoints verified (key ${source.keyId})` : ''}.`);
        return 0;
      }
      ctx.err(`Audit log TAMPERED at entry ${report.brokenAt}: ${report.problem}.`);
      return 1;
    } finally {
      if (typeof log === 'string') await db.destroy();
    }
  },
};

/** `rescuebox audit checkpoint`: signs the chain head now. */
export const auditCheckpoint: Command = {
  name: 'audit checkpoint',
  usage: 'rescuebox audit checkpoint',
  summary: 'Sign the audit chain head now (Ed25519 checkpoint; the server also makes them every AUDIT_CHECKPOINT_MINUTES).',
  async run(_args, ctx) {
    const { db, key } = await openCheckpointKey(ctx);
    const checkpoint = await createCheckpoint(db, await ctx.audit(), key, ctx.clock.now(), true);
    if (!checkpoint) throw new CliError('The audit log is empty.', 1);
    ctx.out(`Checkpoint signed: entry ${checkpoint.seq}, hash ${checkpoint.hash}, key ${checkpoint.keyId}.`);
    return 0;
  },
};

/** `rescuebox audit checkpoints export`: the public key and every checkpoint, as JSON. */
export const auditCheckpointsExport: Command = {
  name: 'audit checkpoints export',
  usage: 'rescuebox audit checkpoints export',
  summary: 'Print the checkpoint public key and every signed checkpoint as JSON, to keep apart from the appliance.',
  async run(_args, ctx) {
    const { db, key } = await openCheckpointKey(ctx);
    ctx.out(JSON.stringify(await exportCheckpoints(db, key), null, 2));
    return 0;
  },
};

/** `rescuebox audit export`: the audit log as JSON lines or RFC 5424 lines on stdout. */
export const auditExport: Command = {
  name: 'audit export',
  usage: 'rescuebox audit export [--format json|syslog] [--after SEQ]',
  summary: 'Print audit entries (after SEQ) as JSON lines (default) or RFC 5424 syslog lines, for a SIEM import.',
  async run(args, ctx) {
    const { options } = parseArgs(args, ['format', 'after']);
    const format = options.get('format') ?? 'json';
    if (format !== 'json' && format !== 'syslog') throw new CliError('--format must be json or syslog');
    const after = Number(options.get('after') ?? 0);
    if (!Number.isInteger(after) || after < 0) throw new CliError('--after must be a sequence number');
    const db = await ctx.db();
    const origin = localOrigin();
    for (let last = after; ;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', last).orderBy('seq').limit(1000).execute();
      for (const row of rows) ctx.out(format === 'json' ? formatJsonLine(row).trimEnd() : formatRfc5424(row, origin));
      if (rows.length < 1000) return 0;
      last = rows[rows.length - 1]!.seq;
    }
  },
};

/** The database and the checkpoint signing key, opened under the master key (both checkpoint commands need them). */
async function openCheckpointKey(ctx: CliContext) {
  const db = await ctx.db();
  return { db, key: await checkpointKey(db, (await ctx.keyring()).vault, ctx.clock.now()) };
}
