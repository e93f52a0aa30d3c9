import { readFileSync } from 'node:fs';

// The production dependencies' licences, read from package-lock.json (the exact tree `npm ci`
// installs, platform binaries included), so the list in docs/ cannot drift from what ships.

/** One package the appliance ships, with the licence it declares. */
export interface ShippedPackage {
  name: string;
  version: string;
  licence: string;
  /** A platform binary npm installs only on its own OS/CPU (sharp's libvips builds). */
  optional: boolean;
}

interface LockEntry { version?: string; license?: string; dev?: boolean; optional?: boolean; devOptional?: boolean }

// Two old packages state no licence in package.json's `license` field; what they say elsewhere,
// checked by hand (a new package without one fails the test instead of landing here silently).
const statedElsewhere: Record<string, { licence: string; where: string }> = {
  precond: { licence: 'MIT', where: 'README.md, "License": MIT license' },
  x11: { licence: 'MIT', where: 'package.json `licenses: [{type: MIT}]` and LICENSE' },
};

// Permissive licences accepted without review. LGPL-3.0 is accepted only for sharp's libvips
// binaries: an unmodified, dynamically loaded library, which LGPL allows in a closed product.
const permissive = new Set(['MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'WTFPL', 'BlueOak-1.0.0']);
const reviewedLgpl = /^@img\/sharp-/;

/** Every non-development package in the lock file, sorted by name. */
export function shippedPackages(lockPath = 'package-lock.json'): ShippedPackage[] {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, LockEntry> };
  const found = new Map<string, ShippedPackage>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.devOptional) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const licence = entry.license ?? statedElsewhere[name]?.licence ?? 'UNKNOWN';
    const key = `${name}@${entry.version}`;
    if (!found.has(key)) found.set(key, { name, version: entry.version ?? '?', licence, optional: entry.optional === true });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** Whether a package's SPDX expression is acceptable: one OR-alternative whose AND-parts are all accepted. */
export function licenceAccepted(pkg: ShippedPackage): boolean {
  const expression = pkg.licence.replace(/[()]/g, '');
  return expression.split(/\s+OR\s+/).some((alternative) =>
    alternative.split(/\s+AND\s+/).every((part) => permissive.has(part) || (part === 'LGPL-3.0-or-later' && reviewedLgpl.test(pkg.name))));
}

/** The Markdown page docs/dependency-licences.md. */
export function licencePage(packages: ShippedPackage[]): string {
  const counts = new Map<string, number>();
  for (const pkg of packages) counts.set(pkg.licence, (counts.get(pkg.licence) ?? 0) + 1);
  const summary = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([licence, n]) => `| ${licence} | ${n} |`);
  const rows = packages.map((p) => `| ${p.name} | ${p.version} | ${p.licence} | ${p.optional ? 'platform binary' : ''} |`);
  const elsewhere = Object.entries(statedElsewhere).map(([name, s]) => `- \`${name}\`: ${s.licence} (${s.where})`);
  return [
    '# Licences of the production dependencies',
    '',
    'Generated from `package-lock.json` by `npm run licences`; a test fails when this page and the',
    'lock file disagree, or when a package ships under a licence not accepted below.',
    '',
    'Accepted without review: permissive licences (MIT, ISC, BSD, Apache-2.0, 0BSD, MIT-0, WTFPL).',
    'LGPL-3.0-or-later is accepted only for the libvips builds of `sharp` (`@img/sharp-*`): npm',
    'installs the one for the platform; it is an unmodified shared library loaded at run time, which',
    'the LGPL allows in any product, provided its licence and source offer travel with the image',
    '(they are in each package\'s folder).',
    '',
    'Packages whose `package.json` states no `license` field, checked by hand:',
    '',
    ...elsewhere,
    '',
    '## Summary',
    '',
    '| licence | packages |',
    '| --- | --- |',
    ...summary,
    '',
    `## All ${packages.length} packages`,
    '',
    '| package | version | licence | note |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
