// Bundles the preact UI with esbuild into dist/public: index.html, assets/app.js, assets/app.css.
// No inline script or style anywhere: the server's CSP allows only files from the appliance.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const out = 'dist/public';
mkdirSync(join(out, 'assets'), { recursive: true });

await build({
  entryPoints: ['ui/main.tsx'],
  outfile: join(out, 'assets/app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const css = readdirSync('ui/styles').filter((f) => f.endsWith('.css')).sort().map((f) => readFileSync(join('ui/styles', f), 'utf8')).join('\n');
writeFileSync(join(out, 'assets/app.css'), css);
writeFileSync(join(out, 'index.html'), readFileSync('ui/index.html', 'utf8'));
