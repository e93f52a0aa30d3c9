import type { Context } from 'hono';
import { z } from 'zod';
import { deleteGroup, getGroup, insertGroup, listGroups, updateGroup } from '../../../accounts/groups.js';
import { adminRoles, permissions } from '../../../auth/roles.js';
import type { AppEnv, Principal } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';

const admins = { roles: adminRoles } as const;

const groupFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).optional(),
  permissions: z.array(z.enum(permissions)).max(permissions.length),
  members: z.array(z.string().min(1).max(64)).max(10_000).optional(),
};
const createGroupBody = z.object(groupFields).strict();
const updateGroupBody = z.object({ ...groupFields, name: groupFields.name.optional(), permissions: groupFields.permissions.optional() }).strict();

async function requireFreeName(c: Context<AppEnv>, name: string | undefined, exceptId?: string): Promise<void> {
  if (name === undefined) return;
  const taken = await c.get('services').db.selectFrom('technician_groups').select('id').where('name', '=', name).executeTakeFirst();
  if (taken && taken.id !== exceptId) throw new ApiError('conflict', 'A group with this name already exists.');
}

async function requireMembers(c: Context<AppEnv>, members: string[] | undefined): Promise<void> {
  if (!members || members.length === 0) return;
  const found = await c.get('services').db.selectFrom('users').select('id').where('id', 'in', members).execute();
  const known = new Set(found.map((r) => r.id));
  const missing = members.filter((m) => !known.has(m));
  if (missing.length > 0) throw new ApiError('invalid_request', `Unknown account id: ${missing.join(', ')}.`);
}

function audit(c: Context<AppEnv>, principal: Principal, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
  return c.get('services').audit.record({ action, outcome: 'success', actorId: principal.userId, actorEmail: principal.email, ip: c.get('clientIp'), targetType: 'group', targetId, details });
}

/** Technician groups and the permissions they grant. */
export const groupRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/groups', tag: 'groups', summary: 'List technician groups and the permissions that exist.', access: admins,
    responses: { 200: '{ groups, permissions }' },
    handler: async (c) => c.json({ groups: await listGroups(c.get('services').db), permissions }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/groups', tag: 'groups', summary: 'Create a technician group.', access: admins, body: createGroupBody,
    responses: { 201: '{ group }', 409: 'name taken' },
    handler: async (c, { body, principal }) => {
      await requireFreeName(c, body.name);
      await requireMembers(c, body.members);
      const group = await insertGroup(c.get('services').db, c.get('services').clock, body);
      await audit(c, principal!, 'group.create', group.id, { name: group.name, permissions: group.permissions, members: group.members });
      return c.json({ group }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/groups/:id', tag: 'groups', summary: 'Read one group.', access: admins,
    responses: { 200: '{ group }', 404: 'No such group' },
    handler: async (c, { params }) => {
      const group = await getGroup(c.get('services').db, params.id!);
      if (!group) throw new ApiError('not_found', 'No such group.');
      return c.json({ group });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/groups/:id', tag: 'groups', summary: 'Change a group\'s name, permissions or members.', access: admins, body: updateGroupBody,
    responses: { 200: '{ group }', 404: 'No such group', 409: 'name taken' },
    handler: async (c, { body, params, principal }) => {
      await requireFreeName(c, body.name, params.id);
      await requireMembers(c, body.members);
      const group = await updateGroup(c.get('services').db, c.get('services').clock, params.id!, body);
      if (!group) throw new ApiError('not_found', 'No such group.');
      await audit(c, principal!, 'group.update', group.id, { changed: Object.keys(body), ...body });
      return c.json({ group });
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/groups/:id', tag: 'groups', summary: 'Delete a group (its members keep their accounts).', access: admins,
    responses: { 204: 'Deleted', 404: 'No such group' },
    handler: async (c, { params, principal }) => {
      if (!(await deleteGroup(c.get('services').db, params.id!))) throw new ApiError('not_found', 'No such group.');
      await audit(c, principal!, 'group.delete', params.id!, {});
      return c.body(null, 204);
    },
  }),
];
