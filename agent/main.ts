import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { parseStartCode } from '../protocol/start-code.js';
import { bundleDefaults, HelpRequested, parseArgs, usage, UsageError, type AgentOptions } from './cli/args.js';
import { ExitCode } from './exit-codes.js';
import { translator } from './i18n.js';
import { loadTrust, type Trust } from './net/trust.js';
import { BrokerError, NetworkError } from './net/http.js';
import { runUnattendedCommand, unattendedCommands, unattendedUsage } from './unattended/cli.js';
import { runSession } from './session.js';
import { ScriptUi } from './ui/script.js';
import { TerminalUi } from './ui/terminal.js';
import type { AgentUi } from './ui/types.js';

/**
 * The customer's agent: `rescuebox-agent --server <url> --pin <pin>` (or `--join <code>`).
 * It only makes outbound connections (HTTPS to the broker, WebSocket to the relay) and
 * never listens on a socket.
 */
async function main(argv: string[]): Promise<ExitCode> {
  const command = unattendedCommands.find((name) => name === argv[0]);
  if (command) return unattended(command, argv.slice(1));
  let options: AgentOptions;
  let trust: Trust;
  try {
    options = parseArgs(argv, process.env, bundleDefaults());
    trust = loadTrust(options.caFile, options.fingerprint);
  } catch (error) {
    if (error instanceof HelpRequested) {
      stdout.write(`${usage}\n`);
      return ExitCode.ended;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage}\n`);
      return ExitCode.usage;
    }
    process.stderr.write(`${(error as Error).message}\n`);
    return ExitCode.usage;
  }
  // A channel link needs no PIN: the broker hands out the session's code. A double-clicked
  // program has no command line: it asks for the PIN or the page's start code (PIN + join code).
  if (!options.pin && !options.channel && !options.script && stdin.isTTY) Object.assign(options, await askStart(options));
  const pin = options.pin;
  if (!pin && !options.channel) {
    process.stderr.write(`--pin is required.\n\n${usage}\n`);
    return ExitCode.usage;
  }
  const ui: AgentUi = options.script ? new ScriptUi(stdin, stdout) : new TerminalUi(stdin, stdout, options.lang, bundleDefaults().company);
  const stop = new AbortController();
  // The customer's end (command, confirmed Ctrl-C, closed terminal) works at any stage; a second
  // Ctrl-C while the goodbye is still under way leaves at once.
  ui.onCommand((command) => command.kind === 'end' && stop.abort());
  process.on('SIGINT', () => (stop.signal.aborted ? process.exit(ExitCode.ended) : ui.interrupt()));
  process.on('SIGTERM', () => stop.abort());
  process.on('SIGHUP', () => stop.abort());
  try {
    return await runSession({ options, pin, trust, ui, env: process.env, stop: stop.signal });
  } finally {
    ui.close();
  }
}

/** `enrol`, `service`, `revoke`, …: unattended access on an enrolled device. */
async function unattended(command: (typeof unattendedCommands)[number], argv: string[]): Promise<ExitCode> {
  try {
    return await runUnattendedCommand(command, argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${unattendedUsage}\n`);
      return ExitCode.usage;
    }
    if (error instanceof BrokerError) {
      process.stderr.write(`${error.message}\n`);
      return error.status >= 400 && error.status < 500 ? ExitCode.refused : ExitCode.cannotConnect;
    }
    if (error instanceof NetworkError) {
      process.stderr.write(`${error.message}\n`);
      return ExitCode.cannotConnect;
    }
    throw error;
  }
}

/** Asks for the PIN, or the start code from the support page (then the join code comes with it). */
async function askStart(options: AgentOptions): Promise<Pick<AgentOptions, 'pin' | 'joinCode'>> {
  const rl = createInterface({ input: stdin, output: stdout });
  try {
    const answer = await rl.question(translator(options.lang)(options.joinCode ? 'pinPrompt' : 'startPrompt'));
    const start = options.joinCode ? null : parseStartCode(answer);
    if (start) return start;
    const pin = answer.replace(/[\s-]/g, '');
    return { pin: /^[A-Za-z0-9]{4,32}$/.test(pin) ? pin : null, joinCode: options.joinCode };
  } finally {
    rl.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Let stdout drain (a pipe in script mode) before leaving.
    stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(ExitCode.error);
  },
);
