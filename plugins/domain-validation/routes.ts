import type { Context } from 'hono';
import { adminRoles } from '../../core/auth/roles.js';
import type { AppEnv } from '../../core/http/env.js';
import { ApiError } from '../../core/http/errors.js';
import { defineRoute, type RouteSpec } from '../../core/http/route.js';
import { issueJoinCode, redeemOrThrow, requestOrigin } from '../../core/http/routes/pin/index.js';
import type { PluginHost } from '../../core/policy/host.js';
import { linkKey, verifyLinkToken } from '../company-pin/links.js';
import { startFromLink } from '../company-pin/routes.js';
import { checkForm, listVersion, normaliseOrigin, signFormToken, type FormKind } from './form-token.js';
import { readForm, refusal } from './pages.js';
import { formScript, renderSnippet, snippetOptions } from './snippet.js';

/** The plugin's id. */
export const DV_ID = 'domain-validation';
const base = `/api/v1/plugins/${DV_ID}`;

/** Where the form lands on success: the appliance's PIN page, with the join code in the fragment (never sent to a server). */
function toPinPage(c: Context<AppEnv>, joined: { joinCode: string; expiresAt: number; pin: string }): Response {
  const fragment = new URLSearchParams({ join: joined.joinCode, exp: String(joined.expiresAt), pin: joined.pin });
  return c.redirect(`/pin#${fragment.toString()}`, 303);
}

/** The routes; `formKey` and `domains` come from the plugin (its key and current approved list). */
export function domainValidationRoutes(host: PluginHost, formKey: () => Promise<string>): RouteSpec[] {
  const domains = (): string[] => host.activeSettings<{ domains: string[] }>(DV_ID)?.domains ?? [];

  /** Reads a hosted form and checks origin and token before anything else: a foreign page learns nothing about PINs. */
  async function acceptForm(c: Context<AppEnv>, kind: FormKind) {
    const form = await readForm(c);
    if (form === null) return { refused: refusal(c, 415, 'not_a_form', 'Send the form as application/x-www-form-urlencoded.') };
    if (form === 'too_large') return { refused: refusal(c, 413, 'form_too_large', 'The form is too large.') };
    const origin = requestOrigin(c);
    const token = form.get('token');
    const checked = checkForm(await formKey(), domains(), origin, token, kind);
    if (!checked.ok) {
      // Refusals count against the PIN limits too, so a flood of copied forms is cut off (and not audited one by one).
      if (!c.get('services').pinBudgets.tokenAttempt(c.get('clientIp')).ok) return { refused: refusal(c, 429, 'rate_limited', 'Too many attempts. Try again later.') };
      await c.get('services').audit.record({ action: 'web_form.refused', outcome: 'denied', ip: c.get('clientIp'), details: { code: checked.code, origin, kind } });
      return { refused: refusal(c, 403, checked.code) };
    }
    return { form, token: token!, payload: checked.payload };
  }

  const fromApiError = (c: Context<AppEnv>, error: unknown): Response => {
    if (!(error instanceof ApiError)) throw error;
    const status = error.status === 429 ? 429 : error.status === 403 ? 403 : 400;
    return refusal(c, status, String(error.extra.reason ?? error.extra.code ?? error.code), error.message);
  };

  const formAccess = { public: true, reason: 'customers have no account: the approved origin plus the signed form token admit the form, the PIN or link is the credential, rate limited per IP' } as const;
  return [
    defineRoute({
      method: 'post', path: `${base}/pin`, tag: 'plugins', summary: 'A PIN form hosted on an approved website posts here (form-encoded); success redirects to the PIN page with a join code.',
      access: formAccess, responses: { 303: 'to /pin with the join code', 400: 'invalid PIN (HTML)', 403: 'origin or form token refused (HTML)', 429: 'rate_limited' },
      handler: async (c) => {
        const accepted = await acceptForm(c, 'pin');
        if ('refused' in accepted) return accepted.refused!;
        const pin = (accepted.form.get('pin') ?? '').replace(/[\s-]/g, '').slice(0, 32);
        try {
          const redemption = await redeemOrThrow(c, pin, 'web-form', false, { formToken: accepted.token });
          return toPinPage(c, { ...issueJoinCode(c, redemption.session.id), pin });
        } catch (error) {
          return fromApiError(c, error);
        }
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/channel`, tag: 'plugins', summary: 'A support (channel link) form hosted on an approved website posts here; success redirects to the PIN page with a join code.',
      access: formAccess, responses: { 303: 'to /pin with the join code', 400: 'invalid link (HTML)', 403: 'origin or form token refused (HTML)', 404: 'company-pin switched off' },
      handler: async (c) => {
        const accepted = await acceptForm(c, 'channel');
        if ('refused' in accepted) return accepted.refused!;
        if (!host.activeSettings('company-pin') || !accepted.payload.ch) return refusal(c, 400, 'channels_off', 'Support links are switched off.');
        try {
          return toPinPage(c, await startFromLink(c, accepted.payload.ch, { formToken: accepted.token, companyId: null }));
        } catch (error) {
          return fromApiError(c, error);
        }
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/form.js`, tag: 'plugins', summary: 'The optional script of hosted forms (digits only, busy state).',
      access: { public: true, reason: 'a static script that approved websites load for their visitors; it holds no secret' }, responses: { 200: 'JavaScript' },
      // Cross-origin on purpose: the approved websites load it with <script src>.
      handler: (c) => c.body(formScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'max-age=3600' }),
    }),
    defineRoute({
      method: 'get', path: `${base}/domains`, tag: 'plugins', summary: 'The approved domain list, its version and this appliance\'s origin for snippets.', access: { roles: adminRoles },
      responses: { 200: '{ domains, version, applianceOrigin }' },
      handler: (c) => c.json({ domains: domains(), version: listVersion(domains()), applianceOrigin: applianceOrigin(c) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/snippet`, tag: 'plugins', summary: 'Generate a branded HTML snippet with a signed form token for one approved origin.', access: { roles: adminRoles },
      body: snippetOptions, responses: { 200: '{ html, token, version }', 400: 'origin not approved, or no valid channel link' },
      handler: async (c, { body, principal }) => {
        const { clock, audit, db } = c.get('services');
        const origin = normaliseOrigin(body.origin);
        if (!origin || !domains().includes(origin)) throw new ApiError('invalid_request', 'Add this origin to the approved domains first (plugin settings).', { reason: 'origin_not_approved' });
        if (body.kind === 'channel' && !(body.channelToken && verifyLinkToken(await linkKey(c.get('services'), clock.now()), body.channelToken))) {
          throw new ApiError('invalid_request', 'A support form needs a valid channel link.', { reason: 'invalid_channel_link' });
        }
        const version = listVersion(domains());
        const token = signFormToken(await formKey(), { o: origin, k: body.kind, v: version, iat: clock.now(), ...(body.kind === 'channel' && { ch: body.channelToken! }) });
        await audit.record({ action: 'web_form.snippet', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { origin, kind: body.kind, version } });
        return c.json({ html: renderSnippet(applianceOrigin(c), { ...body, origin }, token, version), token, version });
      },
    }),
  ];
}

/** The appliance's public origin: the configured URL, else the one the admin's browser uses. */
function applianceOrigin(c: Context<AppEnv>): string {
  return new URL(c.get('services').config.publicUrl ?? c.req.url).origin;
}
