import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../errors.js';
import { defineRoute, type RouteSpec } from '../../route.js';

/**
 * The agent download: the bundled agent with this appliance's address and certificate
 * fingerprint baked in, so a customer's agent trusts exactly this server (also when its
 * certificate is self-signed) and the start command needs only the join code and the PIN.
 */
export function downloadRoutes(publicDir: string | undefined): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/downloads/rescuebox-agent.mjs', tag: 'downloads', summary: 'The customer agent as one Node.js file, preset for this appliance.',
      access: { public: true, reason: 'customers download the agent from the PIN page before they have any credential' },
      responses: { 200: 'JavaScript module', 503: 'not built' },
      handler: (c) => {
        const file = publicDir ? join(publicDir, 'downloads', 'rescuebox-agent.mjs') : '';
        if (!file || !existsSync(file)) throw new ApiError('not_found', 'The agent is not built on this appliance (npm run build).');
        const services = c.get('services');
        const server = services.config.publicUrl ?? new URL(c.req.url).origin;
        const defaults = `globalThis.__RESCUEBOX_DEFAULTS__ = ${JSON.stringify({ server, fingerprint: services.tlsFingerprint })};\n`;
        const bundle = readFileSync(file, 'utf8');
        // Keep the shebang first: it only works on line one.
        const body = bundle.startsWith('#!') ? bundle.replace(/^(#![^\n]*\n)/, `$1${defaults}`) : defaults + bundle;
        return c.body(body, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Content-Disposition': 'attachment; filename="rescuebox-agent.mjs"', 'Cache-Control': 'no-store' });
      },
    }),
  ];
}
