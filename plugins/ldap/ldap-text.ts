import type { DirectoryEntry } from './directory.js';

// Pure helpers for LDAP strings: escaping what a user typed before it goes into a filter or a
// DN (so "*" or ")(uid=*" cannot widen a search), comparing DNs, and reading attribute values.

/** Escapes a value for an LDAP search filter (RFC 4515): \ * ( ) NUL, and every non-ASCII byte. */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x5c && byte !== 0x2a && byte !== 0x28 && byte !== 0x29;
    out += printable ? String.fromCharCode(byte) : `\\${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Escapes a value for one RDN of a distinguished name (RFC 4514). */
export function escapeDnValue(value: string): string {
  const chars = [...value];
  return chars.map((c, i) => {
    if ('\\,+"<>;='.includes(c)) return `\\${c}`;
    if (c === '\0') return '\\00';
    if (i === 0 && (c === ' ' || c === '#')) return `\\${c}`;
    if (i === chars.length - 1 && c === ' ') return '\\ ';
    return c;
  }).join('');
}

/** Replaces every `{name}` placeholder with its value, escaped by `escape`. */
export function fillTemplate(template: string, values: Record<string, string>, escape: (value: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? escape(values[name]!) : whole));
}

/**
 * Fills a bind-name template: a DN template (`uid={login},ou=people,…`) gets DN escaping, a
 * user-principal or down-level template (`{login}@corp.example`, `CORP\{login}`) the login as typed.
 */
export function bindNameFor(template: string, login: string): string {
  return fillTemplate(template, { login }, template.includes('=') ? escapeDnValue : (v) => v);
}

/**
 * A DN in a form fit for comparing: lower case, no spaces around separators. Enough for the DNs
 * admins paste from their directory tools and those servers return; not a full RFC 4514 parser.
 */
export function normaliseDn(dn: string): string {
  return dn.trim().replace(/\s*([,=+])\s*/g, '$1').toLowerCase();
}

/** First value of an attribute as text, or null. */
export function textOf(entry: DirectoryEntry, attribute: string): string | null {
  const first = entry.attributes.get(attribute.toLowerCase())?.[0];
  return first === undefined ? null : first.toString('utf8');
}

/** Every value of an attribute as text. */
export function textsOf(entry: DirectoryEntry, attribute: string): string[] {
  return (entry.attributes.get(attribute.toLowerCase()) ?? []).map((b) => b.toString('utf8'));
}

/** Binary attributes that identify an entry: shown in their usual text form. */
const binaryIds = new Set(['objectguid', 'msds-objectguid', 'objectsid']);

/**
 * The entry's stable unique id from the configured attribute: AD's objectGUID as its usual
 * GUID string, text ids (entryUUID, nsUniqueId…) as they are. Null when the entry has none.
 */
export function uniqueIdOf(entry: DirectoryEntry, attribute: string): string | null {
  const raw = entry.attributes.get(attribute.toLowerCase())?.[0];
  if (!raw || raw.length === 0) return null;
  if (!binaryIds.has(attribute.toLowerCase())) return raw.toString('utf8').toLowerCase();
  if (raw.length === 16 && attribute.toLowerCase() !== 'objectsid') return formatGuid(raw);
  return raw.toString('hex');
}

/** AD stores a GUID's first three fields little-endian; this gives the form AD tools show. */
export function formatGuid(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/** AD's userAccountControl ACCOUNTDISABLE flag. */
const ACCOUNT_DISABLE = 0x2;

/** Whether AD marks the entry as disabled (userAccountControl bit 2); false for entries without it. */
export function adDisabled(entry: DirectoryEntry): boolean {
  const value = textOf(entry, 'userAccountControl');
  return value !== null && /^\d+$/.test(value) && (Number(value) & ACCOUNT_DISABLE) !== 0;
}
