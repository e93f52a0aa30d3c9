import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/load.js';
import { AuditLog } from '../audit/audit-log.js';
import { openDatabase, type DB } from '../db/open.js';
import { openKeyring, type Keyring } from '../secrets/keyring.js';
import { MasterKeyError } from '../secrets/master-key.js';
import { systemClock, type Clock } from '../support/clock.js';
import { CliError, type CliContext, type Command } from './command.js';
import { commands } from './registry.js';

/** Where a CLI run reads its settings and writes its output; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  clock?: Clock;
}

/** The --help text: usage of every command with its summary. */
export function helpText(list: Command[] = commands): string {
  const width = Math.max(...list.map((c) => c.usage.length));
  return [
    'RescueBox admin CLI: run on the appliance (inside the container: docker exec -it <name> rescuebox …).',
    'Reads the same settings as the server (DATA_DIR, CONFIG_FILE, …).',
    '',
    'Usage:',
    ...list.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${'rescuebox --help'.padEnd(width)}  Show this help.`,
    '',
  ].join('\n');
}

/** Finds the longest command name that the arguments start with (`audit verify` before `audit`). */
function match(argv: string[]): { command: Command; rest: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

/** Opens the appliance's database; a CLI run never creates an empty one by mistake. */
async function openExisting(dataDir: string): Promise<DB> {
  if (!existsSync(join(dataDir, 'appliance.db'))) throw new CliError(`No database in ${dataDir} (set DATA_DIR).`);
  return openDatabase(dataDir);
}

/** Runs one CLI invocation; returns the exit code. Never throws for a user's mistake. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(helpText());
    return argv.length === 0 ? 2 : 0;
  }
  const found = match(argv);
  if (!found) {
    io.err(`Unknown command: ${argv.join(' ')}\n\n${helpText()}`);
    return 2;
  }
  if (found.rest.includes('--help')) {
    io.out(`${found.command.usage}\n  ${found.command.summary}`);
    return 0;
  }
  let db: DB | null = null;
  const clock = io.clock ?? systemClock;
  try {
    const config = loadConfig(io.env);
    const openDb = async () => (db ??= await openExisting(config.dataDir));
    let audit: AuditLog | null = null;
    let keyring: Keyring | null = null;
    const ctx: CliContext = {
      config, clock, db: openDb, out: io.out, err: io.err,
      audit: async () => (audit ??= new AuditLog(await openDb(), clock)),
      keyring: async () => (keyring ??= await openKeyring(await openDb(), config, clock.now(), { create: false })),
    };
    return await found.command.run(found.rest, ctx);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    if (error instanceof ConfigError || error instanceof MasterKeyError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  } finally {
    await (db as DB | null)?.destroy();
  }
}
