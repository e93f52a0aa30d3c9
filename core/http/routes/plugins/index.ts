import { z } from 'zod';
import { adminRoles, roles } from '../../../auth/roles.js';
import { InvalidPluginSettings, type PluginManager } from '../../../policy/plugin-manager.js';
import { hookNames, type HookContexts, type HookName } from '../../../policy/types.js';
import { ApiError } from '../../errors.js';
import { defineRoute, type RouteSpec } from '../../route.js';

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

/** Builds a hook context from the admin's "test a policy" form. */
function explainContext(hook: HookName, input: z.output<typeof explainBody>['context'], now: number, actor: HookContexts['pinIssue']['technician'] | null): HookContexts[HookName] {
  const base = { ip: input.ip, at: input.at ?? now, actor, sessionId: input.sessionId ?? null, channel: input.channel ?? null, facts: {} };
  const technician = actor ?? { id: '', email: input.email ?? '', role: input.role ?? 'technician', groups: [] };
  switch (hook) {
    case 'technicianLogin': return { ...base, email: input.email ?? '', method: 'password', code: input.code ?? null };
    case 'pinIssue': return { ...base, technician };
    case 'pinRedeem': return { ...base, pin: input.pin ?? '', technician: actor, pinChannel: input.pinChannel ?? null, origin: input.origin ?? null, formToken: input.formToken ?? null, companyId: input.companyId ?? null };
    case 'agentConnect': return { ...base, agentVersion: null, hostname: null };
    case 'permissionRequest': return { ...base, technician, permission: input.permission ?? '' };
  }
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
        const { db, clock, pipeline } = c.get('services');
        const row = body.context.email ? await db.selectFrom('users').select(['id', 'email', 'role']).where('email', '=', body.context.email.toLowerCase()).executeTakeFirst() : undefined;
        const groups = row ? (await db.selectFrom('user_groups').select('group_id').where('user_id', '=', row.id).execute()).map((g) => g.group_id) : [];
        const actor = row ? { id: row.id, email: row.email, role: (body.context.role ?? row.role) as never, groups } : body.context.email ? { id: '', email: body.context.email, role: body.context.role ?? 'technician', groups: [] } : null;
        const context = explainContext(body.hook, body.context, clock.now(), actor);
        const decision = await pipeline.explain(body.hook, context as never, { whenAllContinue: body.hook === 'technicianLogin' ? 'allow' : 'deny' });
        const { trace, facts, ...verdict } = decision;
        return c.json({ decision: verdict, trace, facts });
      },
    }),
  ];
}
