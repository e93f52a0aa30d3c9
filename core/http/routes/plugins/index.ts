import { z } from 'zod';
import { adminRoles, roles } from '../../../auth/roles.js';
import { InvalidPluginSettings, type PluginManager } from '../../../policy/plugin-manager.js';
import { findUserRowByEmail } from '../../../accounts/users.js';
import { hookNames, type AccountFacts, type HookContexts, type HookName } from '../../../policy/types.js';
import type { Services } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { accountFacts, explainLogin } from '../auth/login-decision.js';

const changeBody = z.object({
  enabled: z.boolean().optional(),
  position: z.number().int().min(0).max(1000).optional(),
  settings: z.unknown().optional(),
}).strict();

const explainBody = z.object({
  hook: z.enum(hookNames),
  context: z.object({
    email: z.string().max(320).optional(),
    role: z.enum(roles).optional(),
    ip: z.string().max(64).default('127.0.0.1'),
    at: z.number().int().optional(),
    channel: z.string().max(100).nullable().optional(),
    sessionId: z.string().max(100).nullable().optional(),
    pin: z.string().max(32).optional(),
    permission: z.string().max(64).optional(),
    code: z.string().max(64).optional(),
    pinChannel: z.string().max(100).nullable().optional(),
    origin: z.string().max(300).nullable().optional(),
    formToken: z.string().max(2048).nullable().optional(),
    companyId: z.string().max(100).nullable().optional(),
  }).strict(),
});

/** Builds a hook context from the admin's "test a policy" form, as the real call site builds it. */
function explainContext(hook: Exclude<HookName, 'technicianLogin'>, input: z.output<typeof explainBody>['context'], now: number, actor: AccountFacts | null): HookContexts[HookName] {
  const base = { ip: input.ip, at: input.at ?? now, actor, sessionId: input.sessionId ?? null, channel: input.channel ?? null, facts: {} };
  const technician = actor ?? { id: '', email: input.email ?? '', role: input.role ?? 'technician', groups: [] };
  switch (hook) {
    // Like the real call sites: a PIN is redeemed and an agent connects with no acting account.
    case 'pinIssue': return { ...base, technician };
    case 'pinRedeem': return { ...base, actor: null, pin: input.pin ?? '', technician: actor, pinChannel: input.pinChannel ?? null, origin: input.origin ?? null, formToken: input.formToken ?? null, companyId: input.companyId ?? null };
    case 'agentConnect': return { ...base, actor: null, agentVersion: null, hostname: null };
    case 'permissionRequest': return { ...base, technician, permission: input.permission ?? '' };
  }
}

/** The account named in the form (with the role asked about), or a stand-in for an e-mail that has none. */
async function explainActor(services: Services, input: z.output<typeof explainBody>['context']): Promise<AccountFacts | null> {
  if (!input.email) return null;
  const row = await findUserRowByEmail(services.db, input.email);
  if (!row) return { id: '', email: input.email, role: input.role ?? 'technician', groups: [] };
  const facts = await accountFacts(services, row);
  return input.role ? { ...facts, role: input.role } : facts;
}

/** Plugin settings in the admin console and the side-effect-free "test a policy". */
export function pluginRoutes(manager: () => PluginManager): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/plugins', tag: 'plugins', summary: 'Policy plugins in chain order with their settings and settings schema.', access: { roles: ['account_admin'] },
      responses: { 200: '{ plugins }' },
      handler: async (c) => c.json({ plugins: await manager().list() }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/plugins/:id', tag: 'plugins', summary: 'Enable, disable, reorder or configure a plugin; takes effect at once.', access: { roles: ['account_admin'] }, body: changeBody,
      responses: { 200: '{ plugin }', 400: 'settings do not match the plugin\'s schema', 404: 'No such plugin' },
      handler: async (c, { body, params, principal }) => {
        let plugin;
        try {
          plugin = await manager().change(params.id!, body, principal!.userId);
        } catch (error) {
          if (error instanceof InvalidPluginSettings) throw new ApiError('invalid_request', `Invalid settings: ${error.message}`);
          throw error;
        }
        if (!plugin) throw new ApiError('not_found', 'No such plugin.');
        await c.get('services').audit.record({
          action: 'plugin.change', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'),
          targetType: 'plugin', targetId: plugin.id, details: { enabled: plugin.enabled, position: plugin.position, settings: plugin.settings },
        });
        return c.json({ plugin });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/policy/explain', tag: 'plugins', summary: 'Run the pipeline for a made-up request and show each plugin\'s verdict, without side effects.', access: { roles: adminRoles }, body: explainBody,
      responses: { 200: '{ decision, trace }' },
      handler: async (c, { body }) => {
        const services = c.get('services');
        const at = body.context.at ?? services.clock.now();
        const decision = body.hook === 'technicianLogin'
          ? await explainLogin(services, { email: body.context.email ?? '', ip: body.context.ip, at, code: body.context.code ?? null, role: body.context.role })
          : await services.pipeline.explain(body.hook, explainContext(body.hook, body.context, at, await explainActor(services, body.context)) as never);
        const { trace, facts, ...verdict } = decision;
        return c.json({ decision: verdict, trace, facts });
      },
    }),
  ];
}
