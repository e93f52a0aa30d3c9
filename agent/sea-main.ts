import { isSea } from 'node:sea';
import { ExitCode } from './exit-codes.js';
import { checkOwnSignature, SelfCheckFailed } from './sea/self-check.js';

/**
 * Entry point of the single-file support program (Node SEA, scripts/build-sea.mjs): checks its
 * own signature before anything else runs, hands the embedded appliance address, certificate pin
 * and company name to the agent as its defaults, then starts the ordinary agent (main.ts).
 */
function start(): void {
  if (!isSea()) {
    process.stderr.write('sea-main is the entry of the single-file program; run agent/main.ts instead.\n');
    process.exit(ExitCode.usage);
  }
  try {
    const defaults = checkOwnSignature(process.execPath);
    (globalThis as { __RESCUEBOX_DEFAULTS__?: unknown }).__RESCUEBOX_DEFAULTS__ = {
      server: defaults.server,
      ...(defaults.fingerprint && { fingerprint: defaults.fingerprint }),
      company: defaults.company,
    };
  } catch (error) {
    if (!(error instanceof SelfCheckFailed)) throw error;
    process.stderr.write(`RescueBox: ${error.message}\n`);
    process.exit(ExitCode.tampered);
  }
  void import('./main.js');
}

start();
