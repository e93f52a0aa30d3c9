import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import type { Visibility } from './comments.js';
import { recordHistory } from './history.js';
import type { AttachmentRow, IncidentRow } from './tables.js';

/** Largest attachment, decoded. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);

/** Allowed types and how their content is recognised (a declared type must match the bytes). */
const contentChecks: Record<string, (data: Buffer) => boolean> = {
  'image/png': (d) => startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (d) => startsWith(d, [0xff, 0xd8, 0xff]),
  'image/gif': (d) => d.subarray(0, 6).toString('latin1') === 'GIF87a' || d.subarray(0, 6).toString('latin1') === 'GIF89a',
  'application/pdf': (d) => d.subarray(0, 5).toString('latin1') === '%PDF-',
  'application/zip': (d) => startsWith(d, [0x50, 0x4b, 0x03, 0x04]) || startsWith(d, [0x50, 0x4b, 0x05, 0x06]),
  'text/plain': (d) => !d.includes(0) && Buffer.from(d.toString('utf8'), 'utf8').equals(d),
};

/** Content types an attachment may have. */
export const allowedAttachmentTypes = Object.keys(contentChecks);

/** Where attachment files live: a folder of the data directory, one file per attachment. */
export const attachmentsDir = (services: Services): string => join(services.config.dataDir, 'desk-attachments');

/** Decodes and checks an upload: size limit, allowed type, content matching the type. */
export function checkUpload(contentType: string, dataBase64: string): Buffer {
  // base64 is 4/3 of the bytes; refuse before decoding something huge.
  if (dataBase64.length > Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4) throw new ApiError('payload_too_large', 'Attachment too large.', { maxBytes: MAX_ATTACHMENT_BYTES });
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64)) throw new ApiError('invalid_request', 'dataBase64 is not base64.');
  const data = Buffer.from(dataBase64, 'base64');
  if (data.length > MAX_ATTACHMENT_BYTES) throw new ApiError('payload_too_large', 'Attachment too large.', { maxBytes: MAX_ATTACHMENT_BYTES });
  if (data.length === 0) throw new ApiError('invalid_request', 'Attachment is empty.');
  const check = contentChecks[contentType];
  if (!check || !check(data)) throw new ApiError('unsupported_media_type', 'This file type is not allowed, or the content does not match it.', { allowed: allowedAttachmentTypes });
  return data;
}

/** A safe display name: no path, no control characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\p{Cc}"]/gu, '').trim().slice(0, 200);
  return cleaned || 'attachment';
}

/** Stores an attachment's bytes as a file and its metadata as a row; records it in the history. */
export async function addAttachment(services: Services, actor: DeskActor, incident: IncidentRow, upload: { filename: string; contentType: string; dataBase64: string }, visibility: Visibility): Promise<AttachmentRow> {
  const data = checkUpload(upload.contentType, upload.dataBase64);
  const dir = attachmentsDir(services);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = newId();
  // The file name is our own id: nothing the uploader chose reaches the file system.
  await writeFile(join(dir, id), data, { mode: 0o600, flag: 'wx' });
  const now = services.clock.now();
  const row: AttachmentRow = {
    id, incident_id: incident.id, filename: cleanFilename(upload.filename), content_type: upload.contentType, size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'), storage_name: id, visibility, uploaded_by: actor.id, uploader_name: actor.name, created_at: now,
  };
  try {
    await services.db.insertInto('desk_attachments').values(row).execute();
  } catch (error) {
    await unlink(join(dir, id)).catch(() => undefined); // no file without its row
    throw error;
  }
  await services.db.updateTable('desk_incidents').set({ updated_at: now }).where('id', '=', incident.id).execute();
  await recordHistory(services.db, 'incident', incident.id, actor, now, [{ field: 'attachment', oldValue: null, newValue: `${id} ${row.filename} (${visibility})` }]);
  return row;
}

/** Attachments of an incident, oldest first; portal callers pass `publicOnly`. */
export async function listAttachments(services: Services, incidentId: string, publicOnly: boolean): Promise<AttachmentRow[]> {
  let query = services.db.selectFrom('desk_attachments').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('id');
  if (publicOnly) query = query.where('visibility', '=', 'public');
  return query.execute();
}

/** One attachment of one incident (null when it belongs elsewhere or is hidden from the caller). */
export async function findAttachment(services: Services, incidentId: string, attachmentId: string, publicOnly: boolean): Promise<AttachmentRow | null> {
  let query = services.db.selectFrom('desk_attachments').selectAll().where('id', '=', attachmentId).where('incident_id', '=', incidentId);
  if (publicOnly) query = query.where('visibility', '=', 'public');
  return (await query.executeTakeFirst()) ?? null;
}

/** The download answer: stored type, always as a download, never sniffed. */
export async function attachmentResponse(services: Services, row: AttachmentRow): Promise<Response> {
  const data = await readFile(join(attachmentsDir(services), row.storage_name));
  const ascii = row.filename.replace(/[^\x20-\x7e]/g, '_');
  return new Response(data, {
    headers: {
      'content-type': row.content_type, 'content-length': String(data.length), 'x-content-type-options': 'nosniff',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`,
    },
  });
}
