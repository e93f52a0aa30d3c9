#!/usr/bin/env node
import { runCli } from './cli.js';

// `rescuebox <command>`: the admin CLI (bin of the package; /usr/local/bin/rescuebox in the image).
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
