import { t } from '../i18n/index.js';
import type { UploadBody } from './types.js';

/** Display helpers shared by the desk and the portal. */

/** A duration for people: "3 d 4 h", "2 h 05 min", "12 min" (never seconds: SLA targets are minutes). */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return t('desk.duration.days', { d: days, h: hours });
  if (hours > 0) return t('desk.duration.hours', { h: hours, m: String(mins).padStart(2, '0') });
  return t('desk.duration.minutes', { m: mins });
}

/** The time left of one SLA target as the server sent it, moved on by the time since it answered. */
export function leftNow(leftMs: number | null, fetchedAt: number, now: number): number | null {
  return leftMs === null ? null : leftMs - (now - fetchedAt);
}

/** Largest attachment the server takes (docs/service-desk-api.md): 5 MiB decoded. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** Types the server takes; anything else is refused before uploading. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'application/pdf', 'text/plain', 'application/zip'];

/** The content type to send for a file: the browser's guess, or one from the extension when it has none. */
function contentTypeOf(file: File): string {
  if (file.type) return file.type === 'application/x-zip-compressed' ? 'application/zip' : file.type;
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  const byExt: Record<string, string> = { txt: 'text/plain', log: 'text/plain', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', pdf: 'application/pdf', zip: 'application/zip' };
  return byExt[ext] ?? 'application/octet-stream';
}

/** Reads a chosen file into the JSON upload body (base64), after the size and type checks the server also makes. */
export async function fileToUpload(file: File): Promise<UploadBody> {
  if (file.size > MAX_ATTACHMENT_BYTES) throw new Error(t('desk.attach.tooLarge', { max: '5 MiB' }));
  const contentType = contentTypeOf(file);
  if (!ATTACHMENT_TYPES.includes(contentType)) throw new Error(t('desk.attach.badType'));
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short on big files.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { filename: file.name, contentType, dataBase64: btoa(binary) };
}

/** A datetime-local input's value for a timestamp (local time), or '' for none. */
export function toLocalInput(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The timestamp of a datetime-local input's value, or null when empty. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}
