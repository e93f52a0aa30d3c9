import type { Context } from 'hono';
import { z } from 'zod';
import { addAttachment, attachmentResponse, findAttachment, listAttachments } from '../../../desk/attachments.js';
import { addComment, listComments } from '../../../desk/comments.js';
import { toPortalAttachment, toPortalComment, toPortalIncident } from '../../../desk/incident-views.js';
import { createIncident, findIncident, reopenIncident } from '../../../desk/incidents.js';
import { notifyAssignee, notifyRequester } from '../../../desk/notify.js';
import { readableRequesters } from '../../../desk/organisations.js';
import { levels, loadDeskSettings } from '../../../desk/settings.js';
import type { IncidentRow } from '../../../desk/tables.js';
import { incidentStatuses } from '../../../desk/workflow.js';
import type { AppEnv, Principal } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskActor, limitPortalWrite, portalAccess } from '../desk/access.js';
import { reopenBody, UPLOAD_MAX_BODY } from '../desk/schema.js';

const tag = 'portal';

/**
 * An incident the caller may see, or 404: their own, or (to read only) one of their
 * organisation's when it shares tickets. Anyone else's ticket answers exactly like a missing
 * one, so a customer cannot even learn that it exists. The refusal is audited.
 */
async function ownIncident(c: Context<AppEnv>, id: string, principal: Principal | null, access: 'read' | 'write' = 'write'): Promise<IncidentRow> {
  const services = c.get('services');
  const row = await findIncident(services.db, id);
  const allowed = access === 'read' ? await readableRequesters(services.db, principal!.userId) : [principal!.userId];
  if (row && row.requester_id !== null && allowed.includes(row.requester_id)) return row;
  if (row) {
    await services.audit.record({ action: 'portal.incident', outcome: 'denied', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), targetType: 'incident', targetId: id, details: { reason: 'not_requester' } });
  }
  throw new ApiError('not_found', 'No such incident.');
}

const createBody = z.object({
  title: z.string().trim().min(1).max(200), description: z.string().max(20_000).default(''), category: z.string().min(1).max(50),
  impact: z.enum(levels).default('medium'), urgency: z.enum(levels).default('medium'),
}).strict();

const listQuery = z.object({
  status: z.string().max(200).transform((v) => v.split(',').filter(Boolean)).pipe(z.array(z.enum(incidentStatuses))).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
}).strict();

/** The self-service portal's incidents: own tickets only, public parts only. */
export const portalIncidentRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/portal/meta', tag, summary: 'What the incident form offers.', access: portalAccess,
    responses: { 200: '{ categories, impacts, urgencies }' },
    handler: async (c) => c.json({ categories: (await loadDeskSettings(c.get('services').db)).incidentCategories, impacts: levels, urgencies: levels }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/portal/incidents', tag, summary: 'The caller\'s own incidents (and their organisation\'s, if it shares tickets).', access: portalAccess, query: listQuery,
    responses: { 200: '{ incidents, total }' },
    handler: async (c, { query, principal }) => {
      const { db } = c.get('services');
      let q = db.selectFrom('desk_incidents').selectAll().where('requester_id', 'in', await readableRequesters(db, principal!.userId));
      if (query.status?.length) q = q.where('status', 'in', query.status);
      const rows = await q.orderBy('updated_at', 'desc').execute();
      return c.json({ incidents: rows.slice(query.offset, query.offset + query.limit).map((r) => toPortalIncident(r, principal!.userId)), total: rows.length });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/portal/incidents', tag, summary: 'Submit an incident.', access: portalAccess, body: createBody,
    responses: { 201: '{ incident }' },
    handler: async (c, { body, principal }) => {
      limitPortalWrite(c, principal);
      const services = c.get('services');
      const row = await createIncident(services, await deskActor(c, principal), { ...body, requesterId: principal!.userId, source: 'portal' });
      void notifyRequester(services, row, { kind: 'created' });
      return c.json({ incident: toPortalIncident(row, principal!.userId) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/portal/incidents/:id', tag, summary: 'One own incident with its public comments and attachments.', access: portalAccess,
    responses: { 200: '{ incident, comments, attachments }', 404: 'not_found (also someone else\'s)' },
    handler: async (c, { params, principal }) => {
      const services = c.get('services');
      const row = await ownIncident(c, params.id!, principal, 'read');
      return c.json({
        incident: toPortalIncident(row, principal!.userId),
        comments: (await listComments(services, row.id, true)).map(toPortalComment),
        attachments: (await listAttachments(services, row.id, true)).map(toPortalAttachment),
      });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/portal/incidents/:id/comments', tag, summary: 'Add a comment to an own incident (always public).', access: portalAccess,
    body: z.object({ body: z.string().trim().min(1).max(20_000) }).strict(),
    responses: { 201: '{ comment }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      limitPortalWrite(c, principal);
      const row = await ownIncident(c, params.id!, principal);
      const comment = await addComment(c.get('services'), await deskActor(c, principal), row, body.body, 'public');
      void notifyAssignee(c.get('services'), row, { kind: 'customer_reply', body: body.body });
      return c.json({ comment: toPortalComment(comment) }, 201);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/portal/incidents/:id/attachments', tag, summary: 'Attach a file to an own incident.', access: portalAccess,
    body: z.object({ filename: z.string().min(1).max(255), contentType: z.string().min(1).max(100), dataBase64: z.string().max(7_100_000) }).strict(), maxBodyBytes: UPLOAD_MAX_BODY,
    responses: { 201: '{ attachment }', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' },
    handler: async (c, { body, params, principal }) => {
      limitPortalWrite(c, principal);
      const row = await ownIncident(c, params.id!, principal);
      const attachment = await addAttachment(c.get('services'), await deskActor(c, principal), row, body, 'public');
      return c.json({ attachment: toPortalAttachment(attachment) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/portal/incidents/:id/attachments/:attachmentId', tag, summary: 'Download a public attachment of an own incident.', access: portalAccess,
    responses: { 200: 'the file', 404: 'not_found' },
    handler: async (c, { params, principal }) => {
      const row = await ownIncident(c, params.id!, principal, 'read');
      const attachment = await findAttachment(c.get('services'), row.id, params.attachmentId!, true);
      if (!attachment) throw new ApiError('not_found', 'No such attachment.');
      return attachmentResponse(c.get('services'), attachment);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/portal/incidents/:id/reopen', tag, summary: 'Reopen an own resolved incident.', access: portalAccess, body: reopenBody,
    responses: { 200: '{ incident }', 404: 'not_found', 409: 'conflict (not_reopenable)' },
    handler: async (c, { body, params, principal }) => {
      limitPortalWrite(c, principal);
      const row = await reopenIncident(c.get('services'), await deskActor(c, principal), await ownIncident(c, params.id!, principal), body.reason, ['resolved']);
      void notifyAssignee(c.get('services'), row, { kind: 'reopened', reason: body.reason ?? '' });
      return c.json({ incident: toPortalIncident(row, principal!.userId) });
    },
  }),
];
