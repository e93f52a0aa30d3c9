import { z } from 'zod';
import { queryAudit, toCsv } from '../../../audit/query.js';
import { createCheckpoint, exportCheckpoints } from '../../../audit/checkpoints.js';
import { storedCheckpoints, verifyWithCheckpoints } from '../../../audit/verify.js';
import { ApiError } from '../../errors.js';
import { adminRoles } from '../../../auth/roles.js';
import { defineRoute } from '../../route.js';

const admins = { roles: adminRoles } as const;

const filterQuery = z.object({
  action: z.string().max(100).optional(),
  actor: z.string().max(320).optional(),
  outcome: z.string().max(20).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const exportQuery = filterQuery.extend({ limit: z.coerce.number().int().min(1).max(100_000).default(100_000) });

/** The audit log: filtered view, CSV export and chain verification. */
export const auditRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/audit', tag: 'audit', summary: 'Audit entries, newest first, with filters; page with `before`.', access: admins, query: filterQuery,
    responses: { 200: '{ entries, nextBefore }' },
    handler: async (c, { query }) => {
      const entries = await queryAudit(c.get('services').db, query);
      return c.json({ entries, nextBefore: entries.length === query.limit ? entries[entries.length - 1]!.seq : null });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/audit.csv', tag: 'audit', summary: 'The filtered audit log as a CSV download.', access: admins, query: exportQuery,
    responses: { 200: 'text/csv' },
    handler: async (c, { query, principal }) => {
      const { db, audit } = c.get('services');
      const entries = await queryAudit(db, query);
      await audit.record({ action: 'audit.export', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { rows: entries.length } });
      return c.body(toCsv(entries), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit-log.csv"' });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/audit/verify', tag: 'audit', summary: 'Check the hash chain of the whole audit log.', access: admins,
    responses: { 200: '{ ok, entries, checkpoints, brokenAt?, problem? }' },
    handler: async (c) => {
      const { db, checkpointKey } = c.get('services');
      return c.json(await verifyWithCheckpoints(db, await storedCheckpoints(db), checkpointKey.publicKey));
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/audit/checkpoints', tag: 'audit', summary: 'The signed checkpoints of the chain head with the Ed25519 public key, to keep and verify offline.', access: admins,
    responses: { 200: '{ format, publicKey, checkpoints }' },
    handler: async (c) => {
      const { db, checkpointKey } = c.get('services');
      return c.json(await exportCheckpoints(db, checkpointKey), 200, { 'Content-Disposition': 'attachment; filename="audit-checkpoints.json"' });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/audit/checkpoints', tag: 'audit', summary: 'Sign the chain head now (a checkpoint on demand).', access: admins,
    responses: { 201: '{ checkpoint }', 409: 'the audit log is empty' },
    handler: async (c, { principal }) => {
      const { db, audit, checkpointKey, clock } = c.get('services');
      const checkpoint = await createCheckpoint(db, audit, checkpointKey, clock.now(), true);
      if (!checkpoint) throw new ApiError('conflict', 'The audit log is empty.');
      await audit.record({ action: 'audit.checkpoint_requested', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { seq: checkpoint.seq } });
      return c.json({ checkpoint }, 201);
    },
  }),
];
