import { z } from 'zod';
import { deleteOrganisation, listOrganisations, saveOrganisation } from '../../../desk/organisations.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskAccess, deskAdminAccess } from './access.js';
import { idField } from './schema.js';

const tag = 'desk';
const body = z.object({ name: z.string().trim().min(1).max(200), shareTickets: z.boolean().default(false), memberIds: z.array(idField).max(10_000).optional() }).strict();

/** Customer organisations: admins decide who may read whose tickets in the portal. */
export const deskOrganisationRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/desk/organisations', tag, summary: 'Customer organisations and their members.', access: deskAccess, responses: { 200: '{ organisations }' },
    handler: async (c) => c.json({ organisations: await listOrganisations(c.get('services').db) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/organisations', tag, summary: 'Create a customer organisation.', access: deskAdminAccess, body, responses: { 201: '{ organisation }', 409: 'duplicate' },
    handler: async (c, { body: input, principal }) => {
      const { db, clock, audit } = c.get('services');
      const organisation = await saveOrganisation(db, clock, input);
      await audit.record({ action: 'desk.organisation', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'organisation', targetId: organisation.id, details: { ...input } });
      return c.json({ organisation }, 201);
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/organisations/:id', tag, summary: 'Rename, share tickets or set members (replaces the list).', access: deskAdminAccess,
    body: body.partial().strict(), responses: { 200: '{ organisation }', 404: 'not_found' },
    handler: async (c, { body: input, params, principal }) => {
      const { db, clock, audit } = c.get('services');
      const organisation = await saveOrganisation(db, clock, input, params.id!);
      await audit.record({ action: 'desk.organisation', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'organisation', targetId: organisation.id, details: { ...input } });
      return c.json({ organisation });
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/organisations/:id', tag, summary: 'Delete a customer organisation.', access: deskAdminAccess, responses: { 204: 'deleted', 404: 'not_found' },
    handler: async (c, { params }) => {
      if (!(await deleteOrganisation(c.get('services').db, params.id!))) throw new ApiError('not_found', 'No such organisation.');
      return c.body(null, 204);
    },
  }),
];
