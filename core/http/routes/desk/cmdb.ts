import { z } from 'zod';
import { adminRoles } from '../../../auth/roles.js';
import { ciStatuses, createCi, deleteCi, deleteCiType, findCi, listCiTypes, relateCis, relationKinds, relationsOf, saveCiType, toCi, unrelateCis, updateCi } from '../../../desk/cmdb.js';
import { diagnosticsConsented, diagnosticsReportSchema, upsertComputerCi } from '../../../desk/diagnostics-ci.js';
import { readHistory } from '../../../desk/history.js';
import { linksOf } from '../../../desk/links.js';
import { findSessionRow } from '../../../sessions/support-sessions.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskAccess, deskActor } from './access.js';
import { idField } from './schema.js';

const tag = 'desk-cmdb';
const attributeDef = z.object({ key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/), label: z.string().trim().min(1).max(100), type: z.enum(['string', 'number', 'boolean', 'date']), required: z.boolean().default(false) }).strict();
const typeBody = z.object({ name: z.string().trim().min(1).max(100), attributes: z.array(attributeDef).max(100).default([]) }).strict();
const attributes = z.record(z.string().max(50), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]));
const ciBody = z.object({ name: z.string().trim().min(1).max(200), typeId: idField, status: z.enum(ciStatuses).optional(), attributes: attributes.default({}) }).strict();

async function ciOr404(db: Parameters<typeof findCi>[0], id: string) {
  const row = await findCi(db, id);
  if (!row) throw new ApiError('not_found', 'No such CI.');
  return row;
}

async function typeNames(db: Parameters<typeof findCi>[0]): Promise<Map<string, string>> {
  return new Map((await listCiTypes(db)).map((t) => [t.id, t.name]));
}

/** The CMDB: CI types with attributes, CIs, relations, history; CIs from session diagnostics. */
export const deskCmdbRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/desk/ci-types', tag, summary: 'CI types and their attributes.', access: deskAccess, responses: { 200: '{ types }' },
    handler: async (c) => c.json({ types: await listCiTypes(c.get('services').db) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/ci-types', tag, summary: 'Create a CI type.', access: deskAccess, body: typeBody, responses: { 201: '{ type }', 409: 'conflict' },
    handler: async (c, { body }) => c.json({ type: await saveCiType(c.get('services').db, c.get('services').clock, body) }, 201),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/ci-types/:id', tag, summary: 'Change a CI type.', access: deskAccess, body: typeBody.partial(), responses: { 200: '{ type }', 404: 'not_found' },
    handler: async (c, { body, params }) => c.json({ type: await saveCiType(c.get('services').db, c.get('services').clock, body, params.id!) }),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/ci-types/:id', tag, summary: 'Delete an unused CI type.', access: deskAccess, responses: { 204: 'deleted', 404: 'not_found', 409: 'in_use' },
    handler: async (c, { params }) => {
      await deleteCiType(c.get('services').db, params.id!);
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/cis', tag, summary: 'CIs, filtered by type, status and name.', access: deskAccess,
    query: z.object({ typeId: z.string().max(64).optional(), status: z.enum(ciStatuses).optional(), q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }).strict(),
    responses: { 200: '{ cis, total }' },
    handler: async (c, { query }) => {
      const { db } = c.get('services');
      let q = db.selectFrom('desk_cis').selectAll();
      if (query.typeId) q = q.where('type_id', '=', query.typeId);
      if (query.status) q = q.where('status', '=', query.status);
      if (query.q) q = q.where('name', 'like', `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const rows = await q.orderBy('name').execute();
      const names = await typeNames(db);
      return c.json({ cis: rows.slice(query.offset, query.offset + query.limit).map((r) => toCi(r, names.get(r.type_id) ?? null)), total: rows.length });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/cis', tag, summary: 'Create a CI.', access: deskAccess, body: ciBody, responses: { 201: '{ ci }' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      const row = await createCi(db, clock, await deskActor(c, principal), body);
      return c.json({ ci: toCi(row, (await typeNames(db)).get(row.type_id) ?? null) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/cis/:id', tag, summary: 'One CI with its relations and links.', access: deskAccess, responses: { 200: '{ ci, relations, links }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const { db } = c.get('services');
      const row = await ciOr404(db, params.id!);
      return c.json({ ci: toCi(row, (await typeNames(db)).get(row.type_id) ?? null), relations: await relationsOf(db, row.id), links: await linksOf(db, 'ci', row.id) });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/cis/:id', tag, summary: 'Change a CI (attributes merge).', access: deskAccess, body: ciBody.partial().extend({ attributes: attributes.optional() }),
    responses: { 200: '{ ci }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      const row = await updateCi(db, clock, await deskActor(c, principal), await ciOr404(db, params.id!), body);
      return c.json({ ci: toCi(row, (await typeNames(db)).get(row.type_id) ?? null) });
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/cis/:id', tag, summary: 'Delete a CI with its relations.', access: deskAccess, responses: { 204: 'deleted', 404: 'not_found' },
    handler: async (c, { params }) => {
      if (!(await deleteCi(c.get('services').db, params.id!))) throw new ApiError('not_found', 'No such CI.');
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/cis/:id/history', tag, summary: 'Every change of a CI.', access: deskAccess, responses: { 200: '{ history }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const { db } = c.get('services');
      return c.json({ history: await readHistory(db, 'ci', (await ciOr404(db, params.id!)).id) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/ci-relations', tag, summary: 'Relate two CIs (depends_on, runs_on).', access: deskAccess,
    body: z.object({ fromId: idField, toId: idField, kind: z.enum(relationKinds) }).strict(), responses: { 201: '{ relation }', 409: 'duplicate' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      return c.json({ relation: await relateCis(db, clock, await deskActor(c, principal), body.fromId, body.toId, body.kind) }, 201);
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/ci-relations/:id', tag, summary: 'Remove a CI relation.', access: deskAccess, responses: { 204: 'deleted', 404: 'not_found' },
    handler: async (c, { params, principal }) => {
      const { db, clock } = c.get('services');
      if (!(await unrelateCis(db, clock, await deskActor(c, principal), params.id!))) throw new ApiError('not_found', 'No such relation.');
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/sessions/:id/diagnostics-ci', tag, summary: 'Create or update the customer computer\'s CI from the diagnostics of one\'s own support session (customer consent required).',
    access: deskAccess, body: z.object({ report: diagnosticsReportSchema, incidentId: idField.optional() }).strict(), maxBodyBytes: 256 * 1024,
    responses: { 200: '{ ci, created: false }', 201: '{ ci, created: true }', 403: 'forbidden (no_consent)', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      const services = c.get('services');
      const session = await findSessionRow(services.db, params.id!);
      if (!session || (session.technician_id !== principal!.userId && !adminRoles.includes(principal!.role))) throw new ApiError('not_found', 'No such support session.');
      const actor = await deskActor(c, principal);
      if (!(await diagnosticsConsented(services.db, session.id))) {
        await services.audit.record({ action: 'desk.diagnostics_ci', outcome: 'denied', actorId: actor.id, actorEmail: actor.email, ip: actor.ip, targetType: 'support_session', targetId: session.id, details: { reason: 'no_consent' } });
        throw new ApiError('forbidden', 'The customer did not agree to diagnostics in this session.', { reason: 'no_consent' });
      }
      const { row, created } = await upsertComputerCi(services.db, services.clock, actor, body.report, body.incidentId);
      await services.audit.record({ action: 'desk.diagnostics_ci', outcome: 'success', actorId: actor.id, actorEmail: actor.email, ip: actor.ip, targetType: 'support_session', targetId: session.id, details: { ciId: row.id, created } });
      return c.json({ ci: toCi(row, 'computer'), created }, created ? 201 : 200);
    },
  }),
];
