import { runCli } from '../cli/cli.js';

// `npm run audit:verify`: kept for existing scripts; the same as `rescuebox audit verify`.
process.exitCode = await runCli(['audit', 'verify'], {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
