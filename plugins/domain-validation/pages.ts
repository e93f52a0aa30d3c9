import type { Context } from 'hono';
import type { AppEnv } from '../../core/http/env.js';
import { escapeHtml } from './snippet.js';

/** What a customer reads when a hosted form is refused, by refusal code. */
const messages: Record<string, string> = {
  origin_missing: 'This form did not say which website it is on. Open your support company\'s own website and try again.',
  origin_not_approved: 'This form is not on a website your support company approved. Use the form on their own website.',
  form_token_missing: 'This form is not valid. Use the form on your support company\'s own website.',
  form_token_invalid: 'This form is not valid. Use the form on your support company\'s own website.',
  form_token_other_origin: 'This form was copied from another website. Use the form on your support company\'s own website.',
  form_token_outdated: 'This form is out of date. Ask your support company to update their website.',
  form_token_wrong_kind: 'This form is not valid. Use the form on your support company\'s own website.',
};

/**
 * A refusal as a small HTML page (customers arrive from a plain form post) or JSON for API
 * clients. Plain text only: the appliance's CSP allows no inline style or script.
 */
export function refusal(c: Context<AppEnv>, status: 400 | 403 | 413 | 415 | 429, code: string, message = messages[code] ?? 'Refused.'): Response {
  if ((c.req.header('accept') ?? '').includes('application/json') && !(c.req.header('accept') ?? '').includes('text/html')) {
    return c.json({ error: status === 403 ? 'forbidden' : 'invalid_request', code, message }, status);
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Support form refused</title></head>
<body><main><h1>Support form refused</h1><p data-code="${escapeHtml(code)}">${escapeHtml(message)}</p><p>Code: ${escapeHtml(code)}</p></main></body></html>`;
  return c.html(html, status);
}

/** Reads a plain form post (urlencoded, at most 8 KiB); null when it is not one. */
export async function readForm(c: Context<AppEnv>): Promise<URLSearchParams | 'too_large' | null> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  if (Number(c.req.header('content-length') ?? '0') > 8192) return 'too_large';
  const text = await c.req.text();
  return text.length > 8192 ? 'too_large' : new URLSearchParams(text);
}
