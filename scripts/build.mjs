// `npm run build`: compiles the server (tsc → dist/), bundles the UI (esbuild → dist/public/)
// the downloadable agent (esbuild → dist/public/downloads/rescuebox-agent.mjs) and the single-file
// support programs for Linux x64/arm64 and Windows x64 (Node SEA → dist/public/downloads/support/).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-ui.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-agent.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-sea.mjs'], { stdio: 'inherit' });
