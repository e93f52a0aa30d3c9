import { z } from 'zod';
import { levels } from '../../../desk/settings.js';
import { incidentStatuses } from '../../../desk/workflow.js';

/** An id in a body (UUID-shaped, or a built-in id like `computer`). */
export const idField = z.string().min(1).max(64);
const level = z.enum(levels);
const text = (max: number) => z.string().max(max);

/** Body of POST /desk/incidents. */
export const createIncidentBody = z.object({
  title: z.string().trim().min(1).max(200), description: text(20_000).default(''), category: z.string().min(1).max(50), impact: level, urgency: level,
  requesterId: idField, groupId: idField.nullable().optional(), assigneeId: idField.nullable().optional(),
}).strict();

/** Body of PATCH /desk/incidents/:id. */
export const patchIncidentBody = z.object({
  title: z.string().trim().min(1).max(200).optional(), description: text(20_000).optional(), category: z.string().min(1).max(50).optional(),
  impact: level.optional(), urgency: level.optional(), groupId: idField.nullable().optional(), assigneeId: idField.nullable().optional(),
  status: z.enum(incidentStatuses).optional(), resolution: text(20_000).nullable().optional(), problemId: idField.nullable().optional(),
}).strict();

const commaList = z.string().max(500).transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Query of GET /desk/incidents. */
export const listIncidentsQuery = z.object({
  status: commaList.pipe(z.array(z.enum(incidentStatuses))).optional(),
  priority: commaList.pipe(z.array(z.enum(['1', '2', '3', '4']).transform(Number))).optional(),
  groupId: z.string().max(64).optional(), assigneeId: z.string().max(64).optional(), requesterId: z.string().max(64).optional(),
  category: z.string().max(50).optional(), breached: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  q: z.string().max(200).optional(), sort: z.enum(['updated', 'created', 'priority', 'due']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();

/** Body of a comment. */
export const commentBody = z.object({ body: z.string().trim().min(1).max(20_000), visibility: z.enum(['public', 'internal']) }).strict();

/** Body of an attachment upload (base64 inside JSON). */
export const attachmentBody = z.object({
  filename: z.string().min(1).max(255), contentType: z.string().min(1).max(100), dataBase64: z.string().max(7_100_000), visibility: z.enum(['public', 'internal']),
}).strict();

/** Largest JSON body of an upload: 5 MiB as base64 plus the envelope. */
export const UPLOAD_MAX_BODY = 7_200_000;

/** Body of POST /desk/incidents/bulk. */
export const bulkBody = z.object({
  ids: z.array(idField).min(1).max(200), groupId: idField.nullable().optional(), assigneeId: idField.nullable().optional(), status: z.enum(incidentStatuses).optional(),
}).strict().refine((b) => b.groupId !== undefined || b.assigneeId !== undefined || b.status !== undefined, 'nothing to change');

/** Body of a reopen. */
export const reopenBody = z.object({ reason: z.string().max(2000).optional() }).strict();
