// `npm test` runs this after the typecheck: builds once (the browser and Docker tests need
// dist/), then runs every *.test.ts beside the code with Node's own test runner.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['config', 'core', 'plugins', 'protocol', 'relay', 'agent', 'ui', 'scripts', 'bench'];
const skip = new Set(['node_modules', 'dist', 'data', '.git']);

function findTests(dir, found = []) {
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, found);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) found.push(path);
  }
  return found;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : roots.flatMap((root) => findTests(root)).sort();
if (only.length === 0) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
