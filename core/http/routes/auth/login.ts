import type { Context } from 'hono';
import { findUserRowByEmail, getUser, normaliseEmail, permissionsOf, type User } from '../../../accounts/users.js';
import { createLoginSession } from '../../../auth/login-sessions.js';
import { verifyPassword } from '../../../auth/password-hash.js';
import type { UserRow } from '../../../db/schema.js';
import { csrfTokenFor } from '../../middleware/csrf.js';
import { sessionLifetime, setSessionCookie } from '../../middleware/principal.js';
import type { AppEnv } from '../../env.js';
import { ApiError } from '../../errors.js';
import { accountFacts, accountRefusal, loginContext } from './login-decision.js';

/** What a successful login or setup answers: the account, its permissions and its CSRF token. */
export interface LoginResult {
  user: User;
  permissions: string[];
  csrfToken: string;
}

/**
 * Password login, in the order that leaks least: rate limit per IP, lockout (same answer for
 * unknown e-mails), password check (a dummy hash when there is no account), then the policy
 * pipeline, then a new session. Wrong e-mail and wrong password answer identically.
 */
export async function loginWithPassword(c: Context<AppEnv>, input: { email: string; password: string; code?: string | undefined }): Promise<LoginResult> {
  const services = c.get('services');
  const { audit, lockout } = services;
  const ip = c.get('clientIp');
  const email = normaliseEmail(input.email);

  const wait = services.loginLimiter.hit(ip);
  if (wait > 0) {
    await audit.record({ action: 'auth.login', outcome: 'denied', actorEmail: email, ip, details: { reason: 'rate_limited' } });
    throw new ApiError('rate_limited', 'Too many login attempts from your address. Try again later.', { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
  }

  const found = await findUserRowByEmail(services.db, email);
  const lockedMs = lockout.remainingMs(email, found);
  if (lockedMs > 0) throw await lockedError(c, email, found, lockedMs);

  const { user, passwordOk, method } = await checkCredentials(c, found, input);
  // A directory login by user name finds its account only now: that account's lock applies too.
  const resolvedLockMs = user && user.id !== found?.id ? lockout.remainingMs(email, user) : 0;
  if (resolvedLockMs > 0) throw await lockedError(c, email, user, resolvedLockMs);
  // The same account-state check "test a policy" runs (lockouts were checked above, before the password).
  const refusal = user && passwordOk ? accountRefusal(services, email, user) : null;
  if (!user || !passwordOk || refusal) {
    if (!passwordOk) {
      const lockedForMs = await lockout.recordFailure(email, user);
      await audit.record({ action: 'auth.login', outcome: 'failure', actorId: user?.id, actorEmail: email, ip, details: { reason: 'bad_credentials', method } });
      if (lockedForMs > 0) {
        await audit.record({ action: 'auth.locked', outcome: 'info', actorId: user?.id, actorEmail: email, ip, details: { reason: 'repeated_failures', lockedForSeconds: lockedForMs / 1000 } });
      }
    } else {
      await audit.record({ action: 'auth.login', outcome: 'failure', actorId: user?.id, actorEmail: email, ip, details: { reason: refusal?.code ?? 'account_disabled', method } });
    }
    throw new ApiError('invalid_credentials', 'E-mail or password is wrong.');
  }

  await checkLoginPolicy(c, user, input.code ?? null, method);
  await lockout.recordSuccess(user);
  return startSession(c, user.id, method);
}

/**
 * Checks the password: against the local hash for local accounts, otherwise by the switched-on
 * authenticating plugins (a directory), which return the local account the login stands for.
 * When nobody knows the login, a dummy hash is still checked so the answer takes as long.
 */
async function checkCredentials(c: Context<AppEnv>, found: UserRow | null, input: { email: string; password: string }): Promise<{ user: UserRow | null; passwordOk: boolean; method: string }> {
  const services = c.get('services');
  if (found && found.auth_source === 'local') {
    return { user: found, passwordOk: await verifyPassword(input.password, found.password_hash), method: 'password' };
  }
  const { result, plugin } = await services.pipeline.authenticate({ login: input.email.trim(), password: input.password, ip: c.get('clientIp') });
  if (result.outcome === 'authenticated') {
    const user = (await services.db.selectFrom('users').selectAll().where('id', '=', result.userId).executeTakeFirst()) ?? null;
    return { user, passwordOk: user !== null, method: plugin ?? 'external' };
  }
  if (result.outcome === 'unknown') await verifyPassword(input.password, null);
  // A rejection that names its account (a user name typed for a directory account) counts on that account's lockout.
  const named = result.outcome === 'rejected' && result.userId ? await services.db.selectFrom('users').selectAll().where('id', '=', result.userId).executeTakeFirst() : undefined;
  return { user: named ?? found, passwordOk: false, method: plugin ?? 'password' };
}

async function lockedError(c: Context<AppEnv>, email: string, user: UserRow | null, remainingMs: number): Promise<ApiError> {
  const retryAfterSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
  await c.get('services').audit.record({
    action: 'auth.login', outcome: 'denied', actorId: user?.id ?? null, actorEmail: email, ip: c.get('clientIp'), details: { reason: 'locked', retryAfterSeconds },
  });
  return new ApiError('locked', 'Too many failed logins. Try again later.', { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
}

/**
 * Asks the policy plugins whether this (already authenticated) login may go ahead; throws
 * `policy_denied` or `challenge` as the login route answers them. Single sign-on plugins call it
 * with their own `method` so SSO logins pass the same chain.
 */
export async function checkLoginPolicy(c: Context<AppEnv>, user: UserRow, code: string | null, method: string): Promise<void> {
  const services = c.get('services');
  const context = loginContext(await accountFacts(services, user), { ip: c.get('clientIp'), at: services.clock.now(), method, code });
  const decision = await services.pipeline.decide('technicianLogin', context, { type: 'user', id: user.id });
  if (decision.outcome === 'deny') {
    throw new ApiError('policy_denied', decision.reason ?? 'Login refused by policy.', { code: decision.code, reason: decision.reason });
  }
  if (decision.outcome === 'challenge') {
    throw new ApiError('challenge', decision.reason ?? 'More proof is needed.', { field: decision.field, code: decision.code, ...(decision.data ? { data: decision.data } : {}) });
  }
}

/** Opens a login session for an account, sets the cookie and audits the login. */
export async function startSession(c: Context<AppEnv>, userId: string, method: string): Promise<LoginResult> {
  return (await openSession(c, userId, method)).result;
}

/** Like startSession, and also names the new session (a plugin may keep facts about it). */
export async function openSession(c: Context<AppEnv>, userId: string, method: string): Promise<{ result: LoginResult; sessionId: string }> {
  const services = c.get('services');
  const session = await createLoginSession(services.db, services.clock, sessionLifetime(services), userId, {
    ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? '',
  });
  setSessionCookie(c, session.token, session.expiresAt);
  const user = (await getUser(services.db, userId))!;
  await services.audit.record({ action: 'auth.login', outcome: 'success', actorId: user.id, actorEmail: user.email, ip: c.get('clientIp'), details: { method, sessionId: session.id } });
  return { result: { user, permissions: await permissionsOf(services.db, userId), csrfToken: csrfTokenFor(services.csrfKey, session.id) }, sessionId: session.id };
}
