import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// ldapjs's upstream is archived: it must stay behind plugins/ldap/directory.ts so that the
// switch to ldapts (docs/ldap.md, "Replacing ldapjs") touches one file.
const roots = ['config', 'core', 'plugins', 'protocol', 'relay', 'agent', 'ui', 'scripts', 'bench'];
const allowed = new Set(['plugins/ldap/directory.ts', 'plugins/ldap/ldapjs.d.ts']);
const mentionsLdapjs = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|declare module\s+)['"]ldapjs['"]/;

function sources(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, found);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) found.push(path);
  }
  return found;
}

test('only plugins/ldap/directory.ts (and its type declarations) import ldapjs', () => {
  const importers = roots.flatMap((root) => sources(root)).filter((file) => mentionsLdapjs.test(readFileSync(file, 'utf8')));
  assert.deepEqual(importers.filter((file) => !allowed.has(file)), []);
  assert.ok(importers.includes('plugins/ldap/directory.ts'), 'the adapter itself is found (the scan works)');
});
