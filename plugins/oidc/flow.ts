import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { UserRow } from '../../core/db/schema.js';
import type { AppEnv } from '../../core/http/env.js';
import { ApiError } from '../../core/http/errors.js';
import { cookiesSecure } from '../../core/http/middleware/principal.js';
import { checkLoginPolicy, openSession, type LoginResult } from '../../core/http/routes/auth/login.js';
import type { PluginHost } from '../../core/policy/host.js';
import { seal } from '../totp/crypto.js';
import { identityFrom, resolveAccount } from './accounts.js';
import type { ProviderClients } from './client.js';
import type { OidcProvider, OidcSettings } from './settings.js';
import { attemptPending, dropPending, PENDING_TTL_MS, savePending, saveTransaction, takeTransaction, TRANSACTION_TTL_MS } from './store.js';

const PREFIX = '/api/v1/plugins/oidc';
const TX_COOKIE = 'rb_oidc_tx';
const PENDING_COOKIE = 'rb_oidc_pending';

/** What the login flow needs besides the request: the host, the provider clients and the sealing key for ID tokens. */
export interface FlowParts {
  host: PluginHost;
  clients: ProviderClients;
  key: Buffer;
  settings(): OidcSettings;
}

/** The appliance's own base URL: the configured public URL, else the request's origin. */
export function baseUrl(c: Context<AppEnv>): string {
  return (c.get('services').config.publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');
}

/** The provider by id, or 404. */
export function providerOf(s: OidcSettings, id: string): OidcProvider {
  const p = s.providers.find((x) => x.id === id);
  if (!p) throw new ApiError('not_found', 'No such sign-in provider.');
  return p;
}

/** Starts a login: keeps state, nonce and PKCE verifier behind a cookie, sends the browser to the provider. */
export async function startLogin(c: Context<AppEnv>, parts: FlowParts, providerId: string): Promise<Response> {
  const s = parts.settings();
  const p = providerOf(s, providerId);
  const ip = c.get('clientIp');
  let started;
  try {
    started = await parts.clients.start(p, s.clientSecrets[p.id], `${baseUrl(c)}${PREFIX}/callback`);
  } catch (error) {
    await parts.host.audit.record({ action: 'oidc.login_start', outcome: 'failure', ip, details: { provider: p.id, reason: 'provider_unreachable', error: describe(error) } });
    return c.redirect('/login?sso_error=sso_unavailable', 303);
  }
  const token = await saveTransaction(parts.host.db, parts.host.clock, { provider_id: p.id, state: started.state, nonce: started.nonce, code_verifier: started.codeVerifier });
  // Lax, not Strict: the provider's redirect back is a cross-site top-level GET, which must carry it.
  setCookie(c, TX_COOKIE, token, { httpOnly: true, secure: cookiesSecure(c.get('services')), sameSite: 'Lax', path: PREFIX, maxAge: TRANSACTION_TTL_MS / 1000 });
  await parts.host.audit.record({ action: 'oidc.login_start', outcome: 'info', ip, details: { provider: p.id } });
  return c.redirect(started.url.href, 302);
}

/**
 * The provider's redirect back. In order: the login rate limit, the one-time transaction, the
 * code exchange with ID token validation, the account, disabled and lockout checks, then the
 * same technicianLogin chain as a password login. Every refusal is audited and ends on the
 * login page with a stable code; nothing says which check failed beyond that code.
 */
export async function finishLogin(c: Context<AppEnv>, parts: FlowParts): Promise<Response> {
  const services = c.get('services');
  const ip = c.get('clientIp');
  const fail = async (reason: string, fields: { provider?: string; user?: UserRow | null; error?: unknown; shown?: string } = {}) => {
    await services.audit.record({
      action: 'auth.login', outcome: reason === 'rate_limited' || reason === 'locked' ? 'denied' : 'failure', actorId: fields.user?.id ?? null, actorEmail: fields.user?.email ?? null, ip,
      details: { reason, method: 'oidc', ...(fields.provider && { provider: fields.provider }), ...(fields.error !== undefined && { error: describe(fields.error) }) },
    });
    return c.redirect(`/login?sso_error=${fields.shown ?? reason}`, 303);
  };
  if (services.loginLimiter.hit(ip) > 0) return fail('rate_limited');
  const token = getCookie(c, TX_COOKIE);
  if (token !== undefined) deleteCookie(c, TX_COOKIE, { path: PREFIX, secure: cookiesSecure(services) });
  const tx = token ? await takeTransaction(parts.host.db, parts.host.clock, token) : null;
  if (!tx) return fail('no_transaction', { shown: 'sso_expired' });
  const s = parts.settings();
  const p = s.providers.find((x) => x.id === tx.provider_id);
  if (!p) return fail('provider_removed', { shown: 'sso_failed' });
  const callbackUrl = new URL(`${baseUrl(c)}${PREFIX}/callback${new URL(c.req.url).search}`);
  let login;
  try {
    login = await parts.clients.finish(p, s.clientSecrets[p.id], callbackUrl, { state: tx.state, nonce: tx.nonce, codeVerifier: tx.code_verifier });
  } catch (error) {
    return fail('token_rejected', { provider: p.id, error, shown: 'sso_failed' });
  }
  const identity = identityFrom(p, login.claims);
  if (!identity) return fail('subject_missing', { provider: p.id, shown: 'sso_failed' });
  const resolved = await resolveAccount(parts.host, p, identity);
  if (resolved.outcome === 'refused') return fail(resolved.reason, { provider: p.id, shown: `sso_${resolved.reason}` });
  const user = resolved.user;
  if (resolved.created || resolved.linked) {
    await services.audit.record({ action: resolved.created ? 'oidc.account_created' : 'oidc.account_linked', outcome: 'info', actorId: user.id, actorEmail: user.email, ip, targetType: 'user', targetId: user.id, details: { provider: p.id, role: user.role } });
  }
  if (user.enabled !== 1) return fail('account_disabled', { provider: p.id, user, shown: 'sso_refused' });
  if (services.lockout.remainingMs(user.email, user) > 0) return fail('locked', { provider: p.id, user });
  return passPolicy(c, parts, user, p.id, login.idToken);
}

/** Runs the login chain without a code; a challenge keeps the login pending behind a cookie for /continue. */
async function passPolicy(c: Context<AppEnv>, parts: FlowParts, user: UserRow, providerId: string, idToken: string): Promise<Response> {
  const sealed = seal(parts.key, idToken, user.id);
  try {
    await checkLoginPolicy(c, user, null, 'oidc');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'challenge') {
      const token = await savePending(parts.host.db, parts.host.clock, { user_id: user.id, provider_id: providerId, id_token: sealed });
      setCookie(c, PENDING_COOKIE, token, { httpOnly: true, secure: cookiesSecure(c.get('services')), sameSite: 'Strict', path: PREFIX, maxAge: PENDING_TTL_MS / 1000 });
      return c.redirect('/login?sso=continue', 303);
    }
    return c.redirect(`/login?sso_error=policy&code=${encodeURIComponent(String(error.extra.code ?? 'policy_denied'))}`, 303);
  }
  await enter(c, parts, user, providerId, sealed);
  return c.redirect('/', 303);
}

/**
 * Continues a pending login with the code the chain asked for; answers like the password login
 * (200 with the session, 401 challenge, 403 policy_denied). A few tries per pending login.
 */
export async function continueLogin(c: Context<AppEnv>, parts: FlowParts, code: string | undefined): Promise<LoginResult> {
  const services = c.get('services');
  const ip = c.get('clientIp');
  const wait = services.loginLimiter.hit(ip);
  if (wait > 0) throw new ApiError('rate_limited', 'Too many login attempts from your address. Try again later.', { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
  const token = getCookie(c, PENDING_COOKIE);
  const pending = token ? await attemptPending(parts.host.db, parts.host.clock, token) : null;
  if (!pending) throw new ApiError('invalid_credentials', 'The single sign-on login has expired. Start again.', { code: 'sso_expired' });
  const user = await services.db.selectFrom('users').selectAll().where('id', '=', pending.user_id).executeTakeFirst();
  if (!user || user.enabled !== 1 || services.lockout.remainingMs(user.email, user) > 0) {
    await dropPending(parts.host.db, pending.id_hash);
    throw new ApiError('invalid_credentials', 'The single sign-on login has expired. Start again.', { code: 'sso_expired' });
  }
  await checkLoginPolicy(c, user, code ?? null, 'oidc');
  await dropPending(parts.host.db, pending.id_hash);
  deleteCookie(c, PENDING_COOKIE, { path: PREFIX, secure: cookiesSecure(services) });
  return enter(c, parts, user, pending.provider_id, pending.id_token);
}

/** Opens the session (audited as auth.login with method oidc) and remembers its provider and ID token for logout. */
async function enter(c: Context<AppEnv>, parts: FlowParts, user: UserRow, providerId: string, sealedIdToken: string): Promise<LoginResult> {
  await c.get('services').lockout.recordSuccess(user);
  const { result, sessionId } = await openSession(c, user.id, 'oidc');
  await parts.host.db.insertInto('oidc_sessions').values({ session_id: sessionId, provider_id: providerId, id_token: sealedIdToken }).execute();
  await parts.host.audit.record({ action: 'oidc.login', outcome: 'success', actorId: user.id, actorEmail: user.email, ip: c.get('clientIp'), targetType: 'user', targetId: user.id, details: { provider: providerId, sessionId } });
  return result;
}

/** An error as a short audit detail: openid-client's code and message, never a token. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  // openid-client names the failing claim in the cause ({ claim: 'aud' }) or wraps the signature error.
  const cause = error.cause as { claim?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.claim === 'string' ? ` (claim ${cause.claim})` : cause instanceof Error ? ` (${cause.message})` : '';
  return `${(error as { code?: string }).code ?? error.name}: ${error.message}${detail}`.slice(0, 300);
}
