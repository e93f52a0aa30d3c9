import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { licenceAccepted, licencePage, shippedPackages } from './licences.js';

test('docs/dependency-licences.md lists exactly what package-lock.json ships (run npm run licences after a change)', () => {
  assert.equal(readFileSync('docs/dependency-licences.md', 'utf8'), licencePage(shippedPackages()));
});

test('every shipped package states a licence and it is an accepted one', () => {
  const refused = shippedPackages().filter((pkg) => !licenceAccepted(pkg)).map((p) => `${p.name}@${p.version}: ${p.licence}`);
  assert.deepEqual(refused, []);
});

test('development-only packages are not listed (typescript, playwright-core, fast-check)', () => {
  const names = new Set(shippedPackages().map((p) => p.name));
  for (const dev of ['typescript', 'playwright-core', 'fast-check']) assert.equal(names.has(dev), false, dev);
  for (const prod of ['hono', 'better-sqlite3', 'ldapjs', 'precond']) assert.equal(names.has(prod), true, prod);
});

test('licence expressions: an OR needs one accepted alternative, an AND needs every part', () => {
  const pkg = (name: string, licence: string) => ({ name, version: '1.0.0', licence, optional: false });
  assert.equal(licenceAccepted(pkg('a', '(MIT OR GPL-3.0-only)')), true);
  assert.equal(licenceAccepted(pkg('a', 'MIT AND GPL-3.0-only')), false);
  assert.equal(licenceAccepted(pkg('a', 'GPL-3.0-only')), false);
  assert.equal(licenceAccepted(pkg('a', 'UNKNOWN')), false);
  assert.equal(licenceAccepted(pkg('@img/sharp-libvips-linux-x64', 'LGPL-3.0-or-later')), true);
  assert.equal(licenceAccepted(pkg('some-other', 'LGPL-3.0-or-later')), false);
});
