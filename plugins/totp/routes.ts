import type { Context } from 'hono';
import { z } from 'zod';
import { verifyPassword } from '../../core/auth/password-hash.js';
import { roles, type Role } from '../../core/auth/roles.js';
import { ApiError } from '../../core/http/errors.js';
import type { AppEnv, Principal } from '../../core/http/env.js';
import { defineRoute, type RouteSpec } from '../../core/http/route.js';
import type { PluginHost } from '../../core/policy/host.js';
import type { FactorCheck, TotpService } from './service.js';
import { mfaRequired, type TotpSettings } from './settings.js';
import { removeEnrolment, unusedRecoveryCodes } from './store.js';

const anyAccount = { roles } as const;
const base = '/api/v1/plugins/totp';
const codeBody = z.object({ code: z.string().trim().min(1).max(64) }).strict();

/** The TOTP routes of one's own account (the profile): status, enrolment, recovery codes, turning it off. */
export function ownMfaRoutes(host: PluginHost, service: TotpService): RouteSpec[] {
  const settings = () => host.activeSettings<TotpSettings>('totp');
  const audit = (c: Context<AppEnv>, principal: Principal, action: string, outcome: 'success' | 'failure' | 'denied', details: Record<string, unknown> = {}) =>
    host.audit.record({ action, outcome, actorId: principal.userId, actorEmail: principal.email, ip: c.get('clientIp'), targetType: 'user', targetId: principal.userId, details });
  const required = async (userId: string, role: Role) => {
    const groups = (await host.db.selectFrom('user_groups').select('group_id').where('user_id', '=', userId).execute()).map((g) => g.group_id);
    return mfaRequired(host.db, { role, groups }, settings());
  };
  /** Checks a code of the caller's confirmed enrolment, or throws with an audited, stable reason. */
  const requireCode = async (c: Context<AppEnv>, principal: Principal, code: string, action: string, allowRecovery: boolean) => {
    const enrolment = await service.enrolment(principal.userId);
    if (enrolment?.confirmedAt == null) throw new ApiError('conflict', 'Two-factor authentication is not set up.', { reason: 'mfa_not_enrolled' });
    const check = await service.verify(enrolment, code, host.clock.now(), { dryRun: false, allowRecovery });
    if (!check.ok) {
      await audit(c, principal, action, 'failure', { reason: check.why });
      throw codeError(check);
    }
    return check;
  };

  return [
    defineRoute({
      method: 'get', path: `${base}/status`, tag: 'totp', summary: 'One\'s two-factor state: enrolled, pending, required by policy, recovery codes left.', access: anyAccount,
      responses: { 200: '{ enrolled, pending, required, recoveryCodesLeft }' },
      handler: async (c, { principal }) => {
        const enrolment = await service.enrolment(principal!.userId);
        return c.json({
          enrolled: enrolment?.confirmedAt != null, pending: enrolment !== null && enrolment.confirmedAt === null,
          required: await required(principal!.userId, principal!.role), recoveryCodesLeft: await unusedRecoveryCodes(host.db, principal!.userId),
        });
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/enrolment`, tag: 'totp', summary: 'Start setting up an authenticator app: a new secret as QR code and text, pending until confirmed.', access: anyAccount,
      responses: { 200: '{ secret, otpauthUri, qr }', 409: 'already enrolled (disable first)' },
      handler: async (c, { principal }) => {
        const offer = await service.startEnrolment(principal!.userId, principal!.email);
        if (!offer) throw new ApiError('conflict', 'Two-factor authentication is already set up; turn it off first.', { reason: 'mfa_already_enrolled' });
        await audit(c, principal!, 'mfa.enrol_start', 'success', { via: 'profile' });
        return c.json(offer);
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/enrolment/confirm`, tag: 'totp', summary: 'Confirm the pending enrolment with a first code; answers the 10 recovery codes, shown only now.', access: anyAccount, body: codeBody,
      responses: { 200: '{ recoveryCodes }', 400: 'invalid_request mfa_invalid', 409: 'no pending enrolment', 429: 'locked (too many wrong codes)' },
      handler: async (c, { body, principal }) => {
        const enrolment = await service.enrolment(principal!.userId);
        if (!enrolment || enrolment.confirmedAt !== null) throw new ApiError('conflict', 'There is no pending enrolment to confirm.', { reason: 'mfa_not_pending' });
        const check = await service.verify(enrolment, body.code, host.clock.now(), { dryRun: false, allowRecovery: false });
        if (!check.ok) {
          await audit(c, principal!, 'mfa.enrol_confirm', 'failure', { reason: check.why });
          throw codeError(check);
        }
        const recoveryCodes = await service.newRecoveryCodes(principal!.userId);
        await audit(c, principal!, 'mfa.enrol_confirm', 'success', { via: 'profile', recoveryCodes: recoveryCodes.length });
        return c.json({ recoveryCodes });
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/recovery-codes`, tag: 'totp', summary: 'Replace one\'s recovery codes (needs a current code); the new ones are shown only now.', access: anyAccount, body: codeBody,
      responses: { 200: '{ recoveryCodes }', 400: 'invalid_request mfa_invalid', 409: 'not enrolled', 429: 'locked' },
      handler: async (c, { body, principal }) => {
        await requireCode(c, principal!, body.code, 'mfa.recovery_codes', false);
        const recoveryCodes = await service.newRecoveryCodes(principal!.userId);
        await audit(c, principal!, 'mfa.recovery_codes', 'success', { count: recoveryCodes.length });
        return c.json({ recoveryCodes });
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/disable`, tag: 'totp', summary: 'Turn off one\'s two-factor authentication (needs a current code or the password); refused while policy requires it.', access: anyAccount,
      body: z.object({ code: z.string().trim().min(1).max(64).optional(), password: z.string().min(1).max(1024).optional() }).strict().refine((b) => b.code || b.password, 'give a code or the password'),
      responses: { 204: 'Turned off', 400: 'invalid_request mfa_invalid', 401: 'invalid_credentials (password wrong)', 403: 'forbidden mfa_required_by_policy', 409: 'not enrolled' },
      handler: async (c, { body, principal }) => {
        const p = principal!;
        const enrolment = await service.enrolment(p.userId);
        if (!enrolment) throw new ApiError('conflict', 'Two-factor authentication is not set up.', { reason: 'mfa_not_enrolled' });
        if (enrolment.confirmedAt !== null && (await required(p.userId, p.role))) {
          await audit(c, p, 'mfa.disable', 'denied', { reason: 'mfa_required_by_policy' });
          throw new ApiError('forbidden', 'Your role or group requires two-factor authentication.', { reason: 'mfa_required_by_policy' });
        }
        // A pending enrolment protects nothing yet: dropping it needs no proof.
        if (enrolment.confirmedAt !== null) await proveOwner(c, p, body);
        await removeEnrolment(host.db, p.userId);
        await audit(c, p, 'mfa.disable', 'success', { via: body.code ? 'code' : 'password', wasPending: enrolment.confirmedAt === null });
        return c.body(null, 204);
      },
    }),
  ];

  async function proveOwner(c: Context<AppEnv>, p: Principal, body: { code?: string | undefined; password?: string | undefined }): Promise<void> {
    if (body.code) {
      await requireCode(c, p, body.code, 'mfa.disable', true);
      return;
    }
    const row = await host.db.selectFrom('users').select('password_hash').where('id', '=', p.userId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(body.password!, row.password_hash))) {
      await audit(c, p, 'mfa.disable', 'failure', { reason: 'password_wrong' });
      throw new ApiError('invalid_credentials', 'The password is wrong.');
    }
  }
}

/** The API error for a refused code: 429 when blocked, else 400 with the stable reason. */
function codeError(check: Exclude<FactorCheck, { ok: true }>): ApiError {
  if (check.why === 'blocked') {
    return new ApiError('locked', 'Too many wrong codes. Try again later.', { reason: 'mfa_blocked', retryAfterSeconds: check.retryAfterSeconds }, { 'Retry-After': String(check.retryAfterSeconds) });
  }
  return new ApiError('invalid_request', 'The code is wrong or was already used.', { reason: 'mfa_invalid', why: check.why });
}
