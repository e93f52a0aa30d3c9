import { randomBytes } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { discardPendingKey, pendingKeyFile } from '../../secrets/keyring.js';
import { writeMasterKeyFile } from '../../secrets/master-key.js';
import { resealAll } from '../../secrets/rotate.js';
import { Vault } from '../../secrets/vault.js';
import { CLI_ACTOR, CliError, parseArgs, type Command } from '../command.js';

/**
 * `rescuebox keys rotate`: a new master key; every stored secret is re-sealed under it in one
 * transaction. The new key is written beside the old file (`.next`) before the database commits
 * and renamed over it after, so a crash in between is finished at the next start.
 */
export const keysRotate: Command = {
  name: 'keys rotate',
  usage: 'rescuebox keys rotate [--out FILE]',
  summary: 'Re-encrypt every stored secret under a new master key (stop the appliance first). With MASTER_KEY from the environment, --out FILE receives the new key.',
  async run(args, ctx) {
    const { options } = parseArgs(args, ['out']);
    const { vault: current, master } = await ctx.keyring();
    const out = options.get('out');
    if (typeof out !== 'string' && !master?.file) throw new CliError('The master key comes from MASTER_KEY: give --out FILE for the new key, then set MASTER_KEY to it.');
    const target = typeof out === 'string' ? resolve(out) : pendingKeyFile(master!.file!);
    if (existsSync(target)) {
      if (typeof out === 'string') throw new CliError(`${target} exists; choose a new file for the new key.`);
      discardPendingKey(master!.file!); // left by a rotation that did not commit
    }
    const key = randomBytes(32);
    const next = new Vault(key);
    writeMasterKeyFile(target, key);
    let counts: Record<string, number>;
    try {
      counts = await resealAll(await ctx.db(), current, next);
    } catch (error) {
      if (typeof out !== 'string') discardPendingKey(master!.file!);
      throw error;
    }
    if (typeof out !== 'string') renameSync(target, master!.file!);
    await (await ctx.audit()).record({ action: 'cli.master_key_rotated', outcome: 'success', ...CLI_ACTOR, details: { from: current.keyId, to: next.keyId, resealed: counts } });
    ctx.out(`Master key rotated: ${current.keyId} → ${next.keyId}; re-sealed ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`);
    ctx.out(typeof out === 'string' ? `The new key is in ${target}: set MASTER_KEY to its content before the next start.` : `The new key replaced ${master!.file}. Update every copy you keep of it.`);
    return 0;
  },
};
