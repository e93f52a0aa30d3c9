import { z } from 'zod';
import { endLoginSession } from '../../core/auth/login-sessions.js';
import { roles } from '../../core/auth/roles.js';
import { clearSessionCookie } from '../../core/http/middleware/principal.js';
import { defineRoute, type RouteSpec } from '../../core/http/route.js';
import { unseal } from '../totp/crypto.js';
import { baseUrl, continueLogin, describe, finishLogin, startLogin, type FlowParts } from './flow.js';

const PREFIX = '/api/v1/plugins/oidc';
const publicLogin = { public: true, reason: 'single sign-on is how one stops being anonymous' } as const;

/** The OIDC plugin's routes: providers for the login page, start, callback, continue, logout, and the admins' connection test. */
export function oidcRoutes(parts: FlowParts): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: `${PREFIX}/providers`, tag: 'plugins', access: { public: true, reason: 'the login page shows a button per provider before anyone is logged in' },
      summary: 'The sign-in providers for the login page: id, label and colour of each button.',
      responses: { 200: '[{ id, label, color }]', 404: 'The plugin is switched off' },
      handler: (c) => c.json(parts.settings().providers.map((p) => ({ id: p.id, label: p.label, color: p.color ?? null }))),
    }),
    defineRoute({
      method: 'get', path: `${PREFIX}/login/:provider`, tag: 'plugins', access: publicLogin,
      summary: 'Start a single sign-on login: redirects to the provider (authorization code with PKCE, state and nonce).',
      responses: { 302: 'To the provider', 303: 'Back to the login page when the provider cannot be reached', 404: 'Unknown provider, or the plugin is off' },
      handler: (c, { params }) => startLogin(c, parts, params.provider!),
    }),
    defineRoute({
      method: 'get', path: `${PREFIX}/callback`, tag: 'plugins', access: publicLogin,
      summary: 'The provider sends the browser back here: the code is exchanged, the ID token validated, the login chain run.',
      responses: { 303: 'To the console when logged in; to the login page with sso=continue (a code is needed) or sso_error=<code>', 404: 'The plugin is switched off' },
      handler: (c) => finishLogin(c, parts),
    }),
    defineRoute({
      method: 'post', path: `${PREFIX}/continue`, tag: 'plugins', access: publicLogin,
      body: z.object({ code: z.string().trim().max(64).optional() }).strict(),
      summary: 'Continue a single sign-on login that the login chain challenged (a one-time code); answers like POST /api/v1/auth/login.',
      responses: { 200: 'Logged in: { user, permissions, csrfToken }', 401: '{ error: "challenge" } or the pending login expired', 403: 'Refused by a policy plugin', 429: 'Rate limited' },
      handler: async (c, { body }) => c.json(await continueLogin(c, parts, body.code)),
    }),
    defineRoute({
      method: 'post', path: `${PREFIX}/logout`, tag: 'plugins', access: { roles },
      summary: 'Log out; for a session opened through a provider that logs out too, also answers the provider\'s logout URL to visit.',
      responses: { 200: '{ redirect: string | null }' },
      handler: async (c, { principal }) => {
        const { db, audit } = c.get('services');
        const row = principal!.sessionId ? await db.selectFrom('oidc_sessions').selectAll().where('session_id', '=', principal!.sessionId).executeTakeFirst() : undefined;
        let redirect: string | null = null;
        const s = parts.settings();
        const p = row ? s.providers.find((x) => x.id === row.provider_id) : undefined;
        if (row && p?.logoutAtProvider) {
          try {
            redirect = (await parts.clients.logoutUrl(p, s.clientSecrets[p.id], unseal(parts.key, row.id_token, principal!.userId), `${baseUrl(c)}/login`))?.href ?? null;
          } catch (error) {
            parts.host.logger.warn({ plugin: 'oidc', err: describe(error) }, 'provider logout URL unavailable');
          }
        }
        if (principal!.sessionId) await endLoginSession(db, principal!.sessionId);
        clearSessionCookie(c);
        await audit.record({ action: 'auth.logout', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { method: 'oidc', provider: p?.id ?? null, atProvider: redirect !== null } });
        return c.json({ redirect });
      },
    }),
    defineRoute({
      method: 'post', path: `${PREFIX}/test`, tag: 'plugins', access: { roles: ['account_admin'] },
      summary: 'Test every provider: run discovery now and list each one\'s issuer and endpoints.',
      responses: { 200: '{ ok, message, steps }', 404: 'The plugin is switched off' },
      handler: async (c, { principal }) => {
        const s = parts.settings();
        const steps: string[] = [];
        let working = 0;
        for (const p of s.providers) {
          try {
            const m = await parts.clients.discover(p, s.clientSecrets[p.id]);
            const has = (url: string | undefined, name: string) => (url ? name : `no ${name}`);
            steps.push(`${p.id}: issuer ${m.issuer}; ${[has(m.authorization_endpoint, 'authorization'), has(m.token_endpoint, 'token'), has(m.jwks_uri, 'jwks'), has(m.userinfo_endpoint, 'userinfo'), has(m.end_session_endpoint, 'end session')].join(', ')}`);
            working += 1;
          } catch (error) {
            steps.push(`${p.id}: ${describe(error)}`);
          }
        }
        const ok = s.providers.length > 0 && working === s.providers.length;
        const message = s.providers.length === 0 ? 'No providers are configured.' : `${working} of ${s.providers.length} providers answer discovery.`;
        await c.get('services').audit.record({ action: 'oidc.test', outcome: ok ? 'success' : 'failure', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { message, steps } });
        return c.json({ ok, message, steps });
      },
    }),
  ];
}
