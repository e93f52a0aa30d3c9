// `npm run fuzz`: the property tests (*.fuzz.test.ts) with 1,000,000 inputs each instead of
// npm test's 10,000. FUZZ_RUNS and FUZZ_SEED override; arguments pick files.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['config', 'core', 'plugins', 'protocol', 'relay', 'agent', 'ui', 'scripts'];
const skip = new Set(['node_modules', 'dist', 'data', '.git']);

function findFuzzTests(dir, found = []) {
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findFuzzTests(path, found);
    else if (name.endsWith('.fuzz.test.ts')) found.push(path);
  }
  return found;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : roots.flatMap((root) => findFuzzTests(root)).sort();
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '1000000' };
// No per-test timeout: a million inputs take a while; a hang still shows as no progress.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
