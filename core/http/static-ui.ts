import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './env.js';

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

/**
 * Serves the built UI from dist/public: hashed-free assets under /assets, and index.html for
 * every other GET that is not an API path (the SPA routes itself). Files are read per request
 * only for /assets; paths are normalised so ../ cannot leave the folder.
 */
export function mountStaticUi(app: Hono<AppEnv>, publicDir: string): void {
  const indexFile = join(publicDir, 'index.html');
  app.get('/assets/*', (c) => {
    const relative = normalize(c.req.path.slice('/assets/'.length)).replace(/^(\.\.[/\\])+/, '');
    const file = join(publicDir, 'assets', relative);
    if (!file.startsWith(join(publicDir, 'assets')) || !existsSync(file)) return c.json({ error: 'not_found', message: 'No such asset.' }, 404);
    const ext = file.slice(file.lastIndexOf('.'));
    return c.body(readFileSync(file), 200, { 'Content-Type': types[ext] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  });
  app.get('*', (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    if (!existsSync(indexFile)) return c.text('The UI is not built yet: run `npm run build`.', 503);
    return c.html(readFileSync(indexFile, 'utf8'), 200, { 'Cache-Control': 'no-cache' });
  });
}
