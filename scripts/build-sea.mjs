// Builds the support program as Node single executable applications (SEA): the bundled agent
// (agent/sea-main.ts) injected with postject into the Node 24 binary of each target, so the
// customer needs no Node. Usage: node scripts/build-sea.mjs [outdir] [target…]
// (default dist/public/downloads/support, every target in scripts/sea/targets.json).
//
// The Node binaries come from the npm registry's node-<platform> packages, fetched here with
// `npm pack` (not as dependencies: three ~50 MB tarballs would slow every `npm ci`) into
// node_modules/.cache/rescuebox-sea and checked against the integrity pinned in targets.json.
// The blob is made by the linux-x64 Node 24 binary (the builder's own Node may be older and
// write a blob Node 24 cannot read); code cache and snapshot stay off so one blob fits all.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { nodeVersion, targets } = JSON.parse(readFileSync(join(root, 'scripts/sea/targets.json'), 'utf8'));
const outDir = resolve(process.argv[2] ?? join(root, 'dist/public/downloads/support'));
const wanted = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(targets);
const cache = join(root, 'node_modules/.cache/rescuebox-sea');
const work = join(cache, 'work');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Node's SEA fuse: postject flips it so the binary runs the injected blob.
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The target's Node binary, fetched once and verified against the pinned integrity. */
function nodeBinary(target) {
  const spec = targets[target];
  if (!spec) throw new Error(`unknown target ${target} (known: ${Object.keys(targets).join(', ')})`);
  const tarball = join(cache, `${spec.package}-${nodeVersion}.tgz`);
  if (!existsSync(tarball)) execFileSync('npm', ['pack', `${spec.package}@${nodeVersion}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== spec.integrity) {
    rmSync(tarball);
    throw new Error(`${spec.package}@${nodeVersion}: integrity ${integrity} is not the pinned ${spec.integrity}`);
  }
  const dir = join(cache, `${target}-${nodeVersion}`);
  const binary = join(dir, spec.binary);
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', dir, spec.binary]);
  }
  return binary;
}

async function bundleAgent(file) {
  await build({
    entryPoints: [join(root, 'agent/sea-main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    // A SEA's main script is CommonJS; its require() loads only built-in modules.
    format: 'cjs',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    external: ['bufferutil', 'utf-8-validate', 'sharp'],
    // createRequire(import.meta.url) (the optional sharp) needs a file URL; in a SEA that is the program.
    define: { 'import.meta.url': '__rbMainUrl', __RESCUEBOX_VERSION__: JSON.stringify(version) },
    banner: { js: `const __rbMainUrl = require('node:url').pathToFileURL(process.execPath).href;` },
    logLevel: 'warning',
  });
}

mkdirSync(cache, { recursive: true });
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(outDir, { recursive: true });
const main = join(work, 'agent.cjs');
await bundleAgent(main);
const blob = join(work, 'agent.blob');
writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }));
execFileSync(nodeBinary('linux-x64'), ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
const postject = require.resolve('postject/dist/cli.js');
for (const target of wanted) {
  const out = join(outDir, `rescuebox-support-${target}${target.startsWith('win') ? '.exe' : ''}`);
  copyFileSync(nodeBinary(target), out);
  chmodSync(out, 0o755);
  // node.exe carries the OpenJS Foundation's Authenticode signature; injecting would break it, so it
  // goes first (the appliance signs the result with its own certificate when one is configured).
  if (target.startsWith('win')) execFileSync('osslsigncode', ['remove-signature', '-in', out, '-out', `${out}.unsigned`], { stdio: 'ignore' }), copyFileSync(`${out}.unsigned`, out), rmSync(`${out}.unsigned`);
  execFileSync(process.execPath, [postject, out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`support program ${target}: ${out} (${(readFileSync(out).length / 2 ** 20).toFixed(1)} MiB)`);
}
rmSync(work, { recursive: true, force: true });
