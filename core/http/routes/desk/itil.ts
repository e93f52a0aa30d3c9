import type { Context } from 'hono';
import { z } from 'zod';
import { changeRisks, changeStatuses, changeTypes, createChange, decideApproval, findChange, toChange, updateChange } from '../../../desk/changes.js';
import { readHistory, type HistoryEntity } from '../../../desk/history.js';
import { toDeskIncidents } from '../../../desk/incident-views.js';
import { createLink, deleteLink, linksOf, linkTypes } from '../../../desk/links.js';
import { createProblem, findProblem, problemStatuses, toProblem, updateProblem } from '../../../desk/problems.js';
import { createRelease, findRelease, releaseStatuses, toRelease, updateRelease } from '../../../desk/releases.js';
import { loadDeskSettings } from '../../../desk/settings.js';
import type { AppEnv } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskAccess, deskActor } from './access.js';
import { idField } from './schema.js';

const tag = 'desk-itil';
const long = z.string().max(20_000);
const time = z.number().int().min(0).nullable();
const problemFields = { title: z.string().trim().min(1).max(200), description: long, rootCause: long, workaround: long, knownError: z.boolean(), status: z.enum(problemStatuses) };
const changeFields = {
  title: z.string().trim().min(1).max(200), description: long, type: z.enum(changeTypes), risk: z.enum(changeRisks), plannedStart: time, plannedEnd: time,
  approverIds: z.array(idField).max(20), ciIds: z.array(idField).max(200), releaseId: idField.nullable(), status: z.enum(changeStatuses),
};
const releaseFields = { name: z.string().trim().min(1).max(200), version: z.string().max(50), description: long, plannedAt: time, changeIds: z.array(idField).max(500), status: z.enum(releaseStatuses) };
const statusQuery = (statuses: readonly [string, ...string[]]) => z.object({ status: z.enum(statuses).optional(), type: z.enum(changeTypes).optional(), knownError: z.enum(['true', 'false']).optional(), q: z.string().max(200).optional() }).strict();

function orFail<T>(row: T | null, what: string): T {
  if (!row) throw new ApiError('not_found', `No such ${what}.`);
  return row;
}

async function extras(c: Context<AppEnv>, type: HistoryEntity & ('problem' | 'change' | 'release'), id: string) {
  const { db } = c.get('services');
  return { links: await linksOf(db, type, id), history: await readHistory(db, type, id) };
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** Problems (root cause, known errors), changes (approval before implementation), releases, and links between desk objects. */
export const deskItilRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/desk/problems', tag, summary: 'Problems.', access: deskAccess, query: statusQuery(problemStatuses), responses: { 200: '{ problems }' },
    handler: async (c, { query }) => {
      let q = c.get('services').db.selectFrom('desk_problems').selectAll().orderBy('number', 'desc');
      if (query.status) q = q.where('status', '=', query.status);
      if (query.knownError) q = q.where('known_error', '=', query.knownError === 'true' ? 1 : 0);
      if (query.q) q = q.where('title', 'like', like(query.q));
      return c.json({ problems: (await q.limit(500).execute()).map(toProblem) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/problems', tag, summary: 'Record a problem.', access: deskAccess, body: z.object(problemFields).partial().required({ title: true }).strict(),
    responses: { 201: '{ problem }' },
    handler: async (c, { body, principal }) => c.json({ problem: toProblem(await createProblem(c.get('services').db, c.get('services').clock, await deskActor(c, principal), body)) }, 201),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/problems/:id', tag, summary: 'A problem with its incidents, links and history.', access: deskAccess, responses: { 200: '{ problem, incidents, links, history }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const { db, clock } = c.get('services');
      const row = orFail(await findProblem(db, params.id!), 'problem');
      const incidents = await db.selectFrom('desk_incidents').selectAll().where('problem_id', '=', row.id).orderBy('number').execute();
      return c.json({ problem: toProblem(row), incidents: await toDeskIncidents(db, await loadDeskSettings(db), incidents, clock.now()), ...(await extras(c, 'problem', row.id)) });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/problems/:id', tag, summary: 'Change a problem (root cause, workaround, known error, status).', access: deskAccess, body: z.object(problemFields).partial().strict(),
    responses: { 200: '{ problem }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      return c.json({ problem: toProblem(await updateProblem(db, clock, await deskActor(c, principal), orFail(await findProblem(db, params.id!), 'problem'), body)) });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/changes', tag, summary: 'Changes.', access: deskAccess, query: statusQuery(changeStatuses), responses: { 200: '{ changes }' },
    handler: async (c, { query }) => {
      const { db } = c.get('services');
      let q = db.selectFrom('desk_changes').selectAll().orderBy('number', 'desc');
      if (query.status) q = q.where('status', '=', query.status);
      if (query.type) q = q.where('type', '=', query.type);
      if (query.q) q = q.where('title', 'like', like(query.q));
      const rows = await q.limit(500).execute();
      return c.json({ changes: await Promise.all(rows.map((r) => toChange(db, r))) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/changes', tag, summary: 'Draft a change.', access: deskAccess,
    body: z.object(changeFields).omit({ status: true }).partial().required({ title: true, type: true, risk: true }).strict(), responses: { 201: '{ change }' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      return c.json({ change: await toChange(db, await createChange(db, clock, await deskActor(c, principal), body)) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/changes/:id', tag, summary: 'A change with approvals, links and history.', access: deskAccess, responses: { 200: '{ change, links, history }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const { db } = c.get('services');
      const row = orFail(await findChange(db, params.id!), 'change');
      return c.json({ change: await toChange(db, row), ...(await extras(c, 'change', row.id)) });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/changes/:id', tag, summary: 'Change a change; implementation only after approval.', access: deskAccess, body: z.object(changeFields).partial().strict(),
    responses: { 200: '{ change }', 404: 'not_found', 409: 'approval_required / invalid_transition' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      const row = await updateChange(db, clock, await deskActor(c, principal), orFail(await findChange(db, params.id!), 'change'), body);
      return c.json({ change: await toChange(db, row) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/changes/:id/approvals', tag, summary: 'An approver approves or rejects a change.', access: deskAccess,
    body: z.object({ decision: z.enum(['approved', 'rejected']), comment: z.string().max(2000).default('') }).strict(),
    responses: { 200: '{ change }', 403: 'not_approver', 404: 'not_found', 409: 'already_decided' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock, audit } = c.get('services');
      const actor = await deskActor(c, principal);
      const row = await decideApproval(db, clock, actor, orFail(await findChange(db, params.id!), 'change'), body.decision, body.comment);
      await audit.record({ action: 'desk.change_approval', outcome: 'success', actorId: actor.id, actorEmail: actor.email, ip: actor.ip, targetType: 'change', targetId: row.id, details: { decision: body.decision } });
      return c.json({ change: await toChange(db, row) });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/releases', tag, summary: 'Releases.', access: deskAccess, query: statusQuery(releaseStatuses), responses: { 200: '{ releases }' },
    handler: async (c, { query }) => {
      const { db } = c.get('services');
      let q = db.selectFrom('desk_releases').selectAll().orderBy('number', 'desc');
      if (query.status) q = q.where('status', '=', query.status);
      if (query.q) q = q.where('name', 'like', like(query.q));
      return c.json({ releases: await Promise.all((await q.limit(500).execute()).map((r) => toRelease(db, r))) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/releases', tag, summary: 'Plan a release grouping changes.', access: deskAccess,
    body: z.object(releaseFields).omit({ status: true }).partial().required({ name: true }).strict(), responses: { 201: '{ release }' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      return c.json({ release: await toRelease(db, await createRelease(db, clock, await deskActor(c, principal), body)) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/releases/:id', tag, summary: 'A release with its changes, links and history.', access: deskAccess, responses: { 200: '{ release, changes, links, history }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const { db } = c.get('services');
      const row = orFail(await findRelease(db, params.id!), 'release');
      const changes = await db.selectFrom('desk_changes').selectAll().where('release_id', '=', row.id).orderBy('number').execute();
      return c.json({ release: await toRelease(db, row), changes: await Promise.all(changes.map((ch) => toChange(db, ch))), ...(await extras(c, 'release', row.id)) });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/releases/:id', tag, summary: 'Change a release (status moves enforced).', access: deskAccess, body: z.object(releaseFields).partial().strict(),
    responses: { 200: '{ release }', 404: 'not_found', 409: 'invalid_transition' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      return c.json({ release: await toRelease(db, await updateRelease(db, clock, await deskActor(c, principal), orFail(await findRelease(db, params.id!), 'release'), body)) });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/links', tag, summary: 'Links of one desk object.', access: deskAccess,
    query: z.object({ type: z.enum(linkTypes), id: idField }).strict(), responses: { 200: '{ links }' },
    handler: async (c, { query }) => c.json({ links: await linksOf(c.get('services').db, query.type, query.id) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/links', tag, summary: 'Link two desk objects (incident, problem, change, release, CI, KB article).', access: deskAccess,
    body: z.object({ fromType: z.enum(linkTypes), fromId: idField, toType: z.enum(linkTypes), toId: idField }).strict(), responses: { 201: '{ link }', 409: 'duplicate' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      const id = await createLink(db, { type: body.fromType, id: body.fromId }, { type: body.toType, id: body.toId }, principal!.userId, clock.now());
      return c.json({ link: (await linksOf(db, body.fromType, body.fromId)).find((l) => l.id === id) }, 201);
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/links/:id', tag, summary: 'Remove a link.', access: deskAccess, responses: { 204: 'deleted', 404: 'not_found' },
    handler: async (c, { params }) => {
      if (!(await deleteLink(c.get('services').db, params.id!))) throw new ApiError('not_found', 'No such link.');
      return c.body(null, 204);
    },
  }),
];
