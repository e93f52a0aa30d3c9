// Bundles the customer's agent (agent/main.ts) into ONE self-contained ES module that runs with
// plain `node rescuebox-agent.mjs --server … --pin …` from any directory, no node_modules.
// Usage: node scripts/build-agent.mjs [outfile]   (default dist/public/downloads/rescuebox-agent.mjs)
// The appliance's download route inserts `globalThis.__RESCUEBOX_DEFAULTS__ = {server, fingerprint};`
// right after the #! line when serving it (core/http/routes/downloads).
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? resolve(root, 'dist/public/downloads/rescuebox-agent.mjs'));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [resolve(root, 'agent/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // ws loads these native speed-ups only if present; without them it uses its JS fallback. sharp
  // (JPEG for screen tiles) is native too: where it is missing the agent uses the bundled jpeg-js.
  external: ['bufferutil', 'utf-8-validate', 'sharp'],
  // CommonJS dependencies (ws, https-proxy-agent) call require(); give the ES module one.
  banner: {
    js: [
      '#!/usr/bin/env node',
      `// RescueBox agent ${version}`,
      "import { createRequire as __rbCreateRequire } from 'node:module';",
      'const require = __rbCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
console.log(`agent bundle: ${outfile}`);
