import { z } from 'zod';
import { staffRoles } from '../../../auth/roles.js';
import { addAttachment, attachmentResponse, findAttachment } from '../../../desk/attachments.js';
import { addComment } from '../../../desk/comments.js';
import { toDeskAttachment, toDeskComment } from '../../../desk/incident-views.js';
import { findIncident, updateIncident } from '../../../desk/incidents.js';
import { notifyRequester } from '../../../desk/notify.js';
import { startSessionForIncident } from '../../../desk/remote-sessions.js';
import { deskSettingsSchema, loadDeskSettings, saveDeskSettings } from '../../../desk/settings.js';
import { PolicyDenied } from '../../../sessions/service.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskAccess, deskActor, deskAdminAccess } from './access.js';
import { incidentOr404, notifyChanges } from './incidents.js';
import { attachmentBody, bulkBody, commentBody, UPLOAD_MAX_BODY } from './schema.js';

const tag = 'desk';

/** Comments, attachments, bulk changes, remote sessions, settings and the people directory. */
export const deskWorkRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/desk/incidents/:id/comments', tag, summary: 'Add a public comment or an internal note.', access: deskAccess, body: commentBody,
    responses: { 201: '{ comment }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      const services = c.get('services');
      const incident = await incidentOr404(c, params.id!);
      const comment = await addComment(services, await deskActor(c, principal), incident, body.body, body.visibility);
      // Internal notes never leave the staff side, not even by mail.
      if (body.visibility === 'public') void notifyRequester(services, incident, { kind: 'comment', body: body.body });
      return c.json({ comment: toDeskComment(comment) }, 201);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/incidents/:id/attachments', tag, summary: 'Attach a file (base64 in JSON; 5 MiB; png, jpeg, gif, pdf, text, zip).', access: deskAccess,
    body: attachmentBody, maxBodyBytes: UPLOAD_MAX_BODY,
    responses: { 201: '{ attachment }', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' },
    handler: async (c, { body, params, principal }) => {
      const incident = await incidentOr404(c, params.id!);
      const row = await addAttachment(c.get('services'), await deskActor(c, principal), incident, body, body.visibility);
      return c.json({ attachment: toDeskAttachment(row) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/incidents/:id/attachments/:attachmentId', tag, summary: 'Download an attachment.', access: deskAccess,
    responses: { 200: 'the file', 404: 'not_found' },
    handler: async (c, { params }) => {
      const row = await findAttachment(c.get('services'), params.id!, params.attachmentId!, false);
      if (!row) throw new ApiError('not_found', 'No such attachment.');
      return attachmentResponse(c.get('services'), row);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/incidents/bulk', tag, summary: 'Assign or change the status of many incidents; each follows the same rules as PATCH.', access: deskAccess, body: bulkBody,
    responses: { 200: '{ updated, failed }' },
    handler: async (c, { body, principal }) => {
      const services = c.get('services');
      const actor = await deskActor(c, principal);
      const { ids, ...patch } = body;
      const updated: string[] = [];
      const failed: { id: string; error: string; reason?: unknown }[] = [];
      for (const id of [...new Set(ids)]) {
        const row = await findIncident(services.db, id);
        if (!row) { failed.push({ id, error: 'not_found' }); continue; }
        try {
          const result = await updateIncident(services, actor, row, patch);
          notifyChanges(services, result.row, result.changes, actor.id);
          updated.push(id);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          failed.push({ id, error: error.code, ...(error.extra.reason !== undefined && { reason: error.extra.reason }) });
        }
      }
      return c.json({ updated, failed });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/incidents/:id/remote-session', tag, summary: 'Start a support session (PIN) for this incident; its summary is attached when it ends.', access: deskAccess,
    body: z.object({}).strict(),
    responses: { 201: '{ id, pin, expiresAt, session }', 403: 'policy_denied', 404: 'not_found' },
    handler: async (c, { params, principal }) => {
      const services = c.get('services');
      const incident = await incidentOr404(c, params.id!);
      const actor = { userId: principal!.userId, email: principal!.email, role: principal!.role, ip: c.get('clientIp') };
      try {
        const { session, pin } = await startSessionForIncident(services, actor, await deskActor(c, principal), incident);
        return c.json({ id: session.id, pin, expiresAt: session.expiresAt, session }, 201);
      } catch (error) {
        if (error instanceof PolicyDenied) throw new ApiError('policy_denied', error.message, { code: error.decision.code, reason: error.decision.reason });
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/settings', tag, summary: 'Priority matrix, SLA targets and categories.', access: deskAccess,
    responses: { 200: '{ settings }' },
    handler: async (c) => c.json({ settings: await loadDeskSettings(c.get('services').db) }),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/desk/settings', tag, summary: 'Change the priority matrix, SLA targets and categories.', access: deskAdminAccess, body: deskSettingsSchema,
    responses: { 200: '{ settings }' },
    handler: async (c, { body, principal }) => {
      const services = c.get('services');
      await saveDeskSettings(services.db, services.clock, body);
      await services.audit.record({ action: 'desk.settings', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: body });
      return c.json({ settings: body });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/directory', tag, summary: 'Groups, staff and customers for pickers.', access: deskAccess,
    responses: { 200: '{ groups, technicians, customers }' },
    handler: async (c) => {
      const { db } = c.get('services');
      const groups = await db.selectFrom('technician_groups').select(['id', 'name']).orderBy('name').execute();
      const users = await db.selectFrom('users').select(['id', 'email', 'display_name', 'role']).where('enabled', '=', 1).orderBy('display_name').limit(5000).execute();
      const memberships = await db.selectFrom('user_groups').select(['user_id', 'group_id']).execute();
      const person = (u: (typeof users)[number]) => ({ id: u.id, email: u.email, displayName: u.display_name });
      const staff = users.filter((u) => staffRoles.includes(u.role as never)).slice(0, 1000)
        .map((u) => ({ ...person(u), groupIds: memberships.filter((m) => m.user_id === u.id).map((m) => m.group_id) }));
      return c.json({ groups, technicians: staff, customers: users.filter((u) => u.role === 'customer').slice(0, 1000).map(person) });
    },
  }),
];
