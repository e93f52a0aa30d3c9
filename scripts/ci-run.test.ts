// CI runs `bash .ci/run` on a clean clone; a script bash cannot parse fails every landing (a
// step once spliced into its header comment left an open backtick). This checks the script the
// way CI reads it, without running its installs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const script = readFileSync('.ci/run', 'utf8');
const readmeTestCommand = /```(?:sh|bash)?\n(npm ci && npm test)\n```/.exec(readFileSync('README.md', 'utf8'))?.[1];

test('.ci/run is a script bash can parse', () => {
  const parsed = spawnSync('bash', ['-n', '.ci/run'], { encoding: 'utf8' });
  assert.equal(parsed.status, 0, parsed.stderr);
});

test('.ci/run stops on the first failing step', () => {
  assert.match(script, /^set -euo pipefail$/m);
});

test('.ci/run ends with exactly the README test command', () => {
  assert.equal(readmeTestCommand, 'npm ci && npm test');
  const commands = script.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  assert.equal(commands.at(-1), readmeTestCommand);
});

test('.ci/run runs nothing before it has moved into the clone', () => {
  const commands = script.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const cd = commands.findIndex((line) => line.startsWith('cd "$(dirname "$0")/.."'));
  assert.ok(cd >= 0 && cd <= 1, `first commands: ${commands.slice(0, 3).join(' | ')}`);
});
