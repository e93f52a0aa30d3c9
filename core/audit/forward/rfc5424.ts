import { hostname } from 'node:os';
import type { AuditRow } from '../../db/schema.js';

/**
 * SD-ID of the audit fields. 32473 is the private enterprise number reserved for examples
 * (RFC 5612); an operator with their own number can still match on the name before the "@".
 */
export const SD_ID = 'rescuebox@32473';

/** Facility 13 ("log audit") in the PRI field. */
const FACILITY_AUDIT = 13;
const SEVERITY_NOTICE = 5;
const SEVERITY_WARNING = 4;
const WARNING_OUTCOMES = new Set(['failure', 'denied', 'deny', 'challenge']);

/** Values of the syslog header that stay the same for every entry of this process. */
export interface SyslogOrigin {
  hostname: string;
  appName: string;
  procId: string;
}

/** The header values of this process: its host name, "rescuebox" and its pid. */
export function localOrigin(): SyslogOrigin {
  return { hostname: headerToken(hostname(), 255), appName: 'rescuebox', procId: String(process.pid) };
}

/**
 * One audit entry as an RFC 5424 message: PRI by outcome, the entry's time, MSGID = action,
 * every field (and the chain hashes, so a SIEM can check the chain itself) as structured data,
 * and the details JSON as the UTF-8 message.
 */
export function formatRfc5424(row: AuditRow, origin: SyslogOrigin): string {
  const severity = WARNING_OUTCOMES.has(row.outcome) ? SEVERITY_WARNING : SEVERITY_NOTICE;
  const params: Array<[string, string | number | null]> = [
    ['seq', row.seq], ['outcome', row.outcome], ['actorId', row.actor_id], ['actorEmail', row.actor_email],
    ['ip', row.ip], ['targetType', row.target_type], ['targetId', row.target_id],
    ['prevHash', row.prev_hash], ['hash', row.hash],
  ];
  const sd = `[${SD_ID}${params.filter(([, v]) => v !== null).map(([k, v]) => ` ${k}="${escapeParam(String(v))}"`).join('')}]`;
  const header = `<${FACILITY_AUDIT * 8 + severity}>1 ${new Date(row.at).toISOString()} ${origin.hostname} ${origin.appName} ${origin.procId} ${headerToken(row.action, 32)}`;
  // The BOM tells receivers the message is UTF-8 (RFC 5424 section 6.4).
  return `${header} ${sd} \uFEFF${row.action} ${row.outcome} ${row.details}`;
}

/** Octet-counting framing for syslog over TCP and TLS (RFC 6587 3.4.1, RFC 5425 4.3). */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** PARAM-VALUE escaping: '"', '\' and ']' get a backslash (RFC 5424 section 6.3.3). */
function escapeParam(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** Header fields are printable US-ASCII without spaces, limited in length, "-" when empty. */
function headerToken(value: string, max: number): string {
  const token = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return token === '' ? '-' : token;
}
