import { createHash } from 'node:crypto';
import { mac, macMatches } from '../company-pin/secrets.js';

/** What a form does: redeem a PIN, or start support from a channel link. */
export type FormKind = 'pin' | 'channel';

/** The signed content of a hosted form's token. */
export interface FormTokenPayload {
  /** The approved origin the form is hosted on. */
  o: string;
  k: FormKind;
  /** Version of the approved domain list the token was made for: editing the list retires old snippets. */
  v: string;
  iat: number;
  /** A channel form's link token. */
  ch?: string;
}

/** Why a hosted form was refused; stable codes for the audit log and the refusal page. */
export type FormRefusal =
  | 'origin_missing' | 'origin_not_approved' | 'form_token_missing' | 'form_token_invalid'
  | 'form_token_other_origin' | 'form_token_outdated' | 'form_token_wrong_kind';

/** An origin as the approved list keeps it (scheme, host, port), or null when the text is not one. */
export function normaliseOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The approved list's version: a hash of its sorted origins. */
export function listVersion(domains: readonly string[]): string {
  return createHash('sha256').update([...domains].sort().join('\n')).digest('hex').slice(0, 16);
}

/** Signs a form token (HMAC-SHA256 under the plugin's own key). */
export function signFormToken(key: string, payload: FormTokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `dv1.${body}.${mac(key, `form:${body}`)}`;
}

/**
 * Checks a hosted form: the request's origin is approved, the token is ours, made for this
 * origin, for this kind of form and for the current list. Signature first, so nothing in an
 * unsigned token is trusted.
 */
export function checkForm(key: string, domains: readonly string[], origin: string | null, token: string | null, kind: FormKind): { ok: true; payload: FormTokenPayload } | { ok: false; code: FormRefusal } {
  if (!origin) return { ok: false, code: 'origin_missing' };
  if (!domains.includes(origin)) return { ok: false, code: 'origin_not_approved' };
  if (!token) return { ok: false, code: 'form_token_missing' };
  const [version, body, signature, extra] = token.split('.');
  if (version !== 'dv1' || !body || !signature || extra !== undefined || token.length > 2048 || !macMatches(key, `form:${body}`, signature)) return { ok: false, code: 'form_token_invalid' };
  let payload: FormTokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as FormTokenPayload;
  } catch {
    return { ok: false, code: 'form_token_invalid' };
  }
  if (payload.o !== origin) return { ok: false, code: 'form_token_other_origin' };
  if (payload.k !== kind) return { ok: false, code: 'form_token_wrong_kind' };
  if (payload.v !== listVersion(domains)) return { ok: false, code: 'form_token_outdated' };
  return { ok: true, payload };
}
