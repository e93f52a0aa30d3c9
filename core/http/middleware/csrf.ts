import { createHmac } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual } from '../../support/secrets.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The only paths that take cross-origin posts, on purpose: the domain-validation plugin's form
 * endpoints, where a PIN or support form hosted on the company's own website posts. They read
 * no cookie or token (their routes are public and ignore any principal), so there is no ambient
 * credential to forge; instead each request must come from an approved Origin with a signed
 * form token, checked by the plugin before anything else.
 */
const CROSS_ORIGIN_FORM_PATHS = new Set(['/api/v1/plugins/domain-validation/pin', '/api/v1/plugins/domain-validation/channel']);

/** The CSRF token of a login session: an HMAC of its id, so nothing extra is stored. */
export function csrfTokenFor(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionId}`).digest('base64url');
}

/**
 * CSRF protection for every state-changing request, in three layers: SameSite=Strict cookies;
 * a foreign Origin is refused outright; and a cookie-authenticated request must echo the
 * session's token in X-CSRF-Token. Bearer-token requests carry no ambient credential and
 * need no token.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (c.req.method === 'POST' && CROSS_ORIGIN_FORM_PATHS.has(c.req.path)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !sameSite(origin, new URL(c.req.url).host, c.get('services').config.publicUrl)) {
      throw new ApiError('csrf_failed', 'Cross-origin request refused.');
    }
    const principal = c.get('principal');
    if (principal?.via === 'session' && principal.sessionId) {
      const sent = c.req.header('x-csrf-token') ?? '';
      const expected = csrfTokenFor(c.get('services').csrfKey, principal.sessionId);
      if (!constantTimeEqual(sent, expected)) throw new ApiError('csrf_failed', 'Missing or wrong X-CSRF-Token header.');
    }
    await next();
  };
}

/** Whether an Origin header names this appliance (its Host, or the configured public URL). */
function sameSite(origin: string, host: string, publicUrl: string | undefined): boolean {
  try {
    const url = new URL(origin);
    if (publicUrl && url.origin === new URL(publicUrl).origin) return true;
    // Compare hosts, not schemes: behind a TLS-terminating proxy the app itself sees http.
    return url.host === host;
  } catch {
    return false;
  }
}
