import type { Config } from '../../config/schema.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { DB } from '../db/open.js';
import type { Keyring } from '../secrets/keyring.js';
import type { Clock } from '../support/clock.js';

/** What a command runs with: the config, the database and audit log opened on first use, and output. */
export interface CliContext {
  config: Config;
  clock: Clock;
  db(): Promise<DB>;
  audit(): Promise<AuditLog>;
  /** The vault over the database's master key (a missing or wrong key is a CliError). */
  keyring(): Promise<Keyring>;
  out(text: string): void;
  err(text: string): void;
}

/** A problem the user can fix: printed without a stack trace, exit code given. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** One `rescuebox <name> …` command: its usage line, a summary for --help, and its body. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** Splits `--flag value` / `--flag=value` / `--switch` options from positional arguments. */
export function parseArgs(args: string[], valued: string[] = []): { positional: string[]; options: Map<string, string | true> } {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) options.set(name, inline);
    else if (valued.includes(name)) {
      const value = args[i + 1];
      if (value === undefined) throw new CliError(`--${name} needs a value`);
      options.set(name, value);
      i += 1;
    } else options.set(name, true);
  }
  return { positional, options };
}

/** The audit actor of every CLI action: the operator at the appliance's shell. */
export const CLI_ACTOR = { actorId: null, actorEmail: 'cli', ip: null } as const;
