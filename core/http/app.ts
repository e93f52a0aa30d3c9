import { Hono } from 'hono';
import type { PluginManager } from '../policy/plugin-manager.js';
import type { AppEnv, Services } from './env.js';
import { ApiError } from './errors.js';
import { clientIp } from './middleware/client-ip.js';
import { csrfProtection } from './middleware/csrf.js';
import { resolvePrincipal } from './middleware/principal.js';
import { securityHeaders } from './middleware/security-headers.js';
import { buildOpenApi } from './openapi.js';
import { mountRoutes, type RouteSpec } from './route.js';
import { resolveAgent } from './middleware/agent.js';
import { resolveDevice } from './middleware/device.js';
import { deviceRoutes } from './routes/device/index.js';
import { devicesRoutes } from './routes/devices/index.js';
import { agentRoutes } from './routes/agent/index.js';
import { auditRoutes } from './routes/audit/index.js';
import { brandingRoutes } from './routes/branding/index.js';
import { requireServiceDesk, serviceDeskRoutes } from './routes/desk/index.js';
import { downloadRoutes } from './routes/downloads/index.js';
import { programRoutes } from './routes/downloads/programs.js';
import { pinRoutes } from './routes/pin/index.js';
import { sessionRoutes } from './routes/sessions/index.js';
import { authRoutes } from './routes/auth/index.js';
import { groupRoutes } from './routes/groups/index.js';
import { meRoutes } from './routes/me/index.js';
import { pluginRoutes } from './routes/plugins/index.js';
import { setupRoutes } from './routes/setup/index.js';
import { systemRoutes } from './routes/system/index.js';
import { userRoutes } from './routes/users/index.js';
import { mountStaticUi } from './static-ui.js';

export const API_VERSION = '1.0.0';

/** The whole HTTP surface: every route of the API, in one table (also the OpenAPI source). */
export function routeTable(plugins: () => PluginManager, publicDir?: string): RouteSpec[] {
  const routes: RouteSpec[] = [...downloadRoutes(publicDir), ...programRoutes(publicDir), ...authRoutes, ...meRoutes, ...setupRoutes, ...userRoutes, ...groupRoutes, ...auditRoutes, ...pluginRoutes(plugins), ...sessionRoutes, ...pinRoutes, ...agentRoutes, ...devicesRoutes, ...deviceRoutes, ...brandingRoutes, ...serviceDeskRoutes, ...plugins().routes()];
  const all: RouteSpec[] = [...systemRoutes(() => buildOpenApi(all, API_VERSION)), ...routes];
  return all;
}

/** Builds the Hono app: headers, client IP, principal, CSRF, the route table, the UI, errors. */
export function createApp(services: Services, plugins: PluginManager, options: { publicDir?: string } = {}): { app: Hono<AppEnv>; routes: RouteSpec[] } {
  const app = new Hono<AppEnv>();
  const routes = routeTable(() => plugins, options.publicDir);
  app.use('*', securityHeaders({ hsts: services.config.tls === 'on' }));
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.use('*', clientIp(services.config.trustedProxies));
  app.use('/api/*', resolvePrincipal());
  app.use('/api/*', resolveAgent());
  app.use('/api/*', resolveDevice());
  app.use('/api/*', csrfProtection());
  app.use('/api/v1/desk/*', requireServiceDesk());
  mountRoutes(app, routes);
  app.all('/api/*', (c) => c.json({ error: 'not_found', message: 'No such API route.' }, 404));
  if (options.publicDir) mountStaticUi(app, options.publicDir);
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json({ error: error.code, message: error.message, ...error.extra }, error.status, error.headers);
    }
    services.logger.error({ err: error, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal', message: 'Internal error.' }, 500);
  });
  return { app, routes };
}
