import type { PluginHost } from '../../core/policy/host.js';
import type { HookContexts, PluginTools, Verdict } from '../../core/policy/types.js';
import type { FactorCheck, TotpService } from './service.js';
import { mfaRequired, type TotpSettings } from './settings.js';

/** Stable reasons of the TOTP plugin's verdicts (the UI translates `policy.<code>`). */
export const reasons = {
  mfa_required: 'Enter the one-time code from your authenticator app.',
  mfa_enrolment_required: 'Your role or group requires two-factor authentication: set up an authenticator app and enter its first code.',
  mfa_invalid: 'The one-time code is wrong or was already used.',
  mfa_blocked: 'Too many wrong one-time codes. Try again later.',
} as const;

const challenge = (code: 'mfa_required' | 'mfa_enrolment_required', data?: Record<string, string>): Verdict => ({
  outcome: 'challenge', field: 'code', code, reason: reasons[code], ...(data && { data }),
});

function refusal(check: Exclude<FactorCheck, { ok: true }>): Verdict {
  if (check.why === 'blocked') return { outcome: 'deny', code: 'mfa_blocked', reason: reasons.mfa_blocked, facts: { retryAfterSeconds: check.retryAfterSeconds } };
  return { outcome: 'deny', code: 'mfa_invalid', reason: reasons.mfa_invalid, facts: { why: check.why } };
}

/**
 * The technicianLogin hook. It runs after the password (local or directory) was checked, so it
 * may show a required-but-unenrolled user a new secret: only the account's owner gets this far.
 * - enrolled: no code → challenge mfa_required; wrong, replayed or blocked code → deny; right code or unused recovery code → continue.
 * - not enrolled and not required → continue.
 * - required, not enrolled: a code matching the pending secret confirms the enrolment and continues;
 *   otherwise challenge mfa_enrolment_required with the QR code and secret (none in a dry run, which creates nothing).
 */
export function technicianLoginHook(host: PluginHost, service: TotpService) {
  return async (context: HookContexts['technicianLogin'], settings: TotpSettings, tools: PluginTools): Promise<Verdict> => {
    const actor = context.actor;
    if (!actor?.id || context.method === 'setup') return { outcome: 'continue', reason: actor?.id ? 'The first-run setup needs no second factor.' : 'No account to ask a second factor of.' };
    const code = context.code?.trim() || null;
    const enrolment = await service.enrolment(actor.id);
    if (enrolment?.confirmedAt != null) {
      if (!code) return challenge('mfa_required');
      const check = await service.verify(enrolment, code, context.at, { dryRun: tools.dryRun, allowRecovery: true });
      if (!check.ok) return refusal(check);
      if (check.via === 'recovery_code' && !tools.dryRun) await audit(host, context, 'mfa.recovery_code_used', {});
      return { outcome: 'continue', reason: check.via === 'recovery_code' ? 'A valid recovery code was given.' : 'A valid TOTP code was given.', facts: { mfa: check.via } };
    }
    if (!(await mfaRequired(host.db, actor, settings))) return { outcome: 'continue', reason: 'Two-factor authentication is neither set up nor required for this account.', facts: { mfa: 'not_enrolled' } };
    if (code && enrolment) {
      const check = await service.verify(enrolment, code, context.at, { dryRun: tools.dryRun, allowRecovery: false });
      if (!check.ok) return refusal(check);
      if (!tools.dryRun) await audit(host, context, 'mfa.enrol_confirm', { via: 'login' });
      return { outcome: 'continue', reason: 'The code confirmed the enrolment made at this login.', facts: { mfa: 'enrolled_at_login' } };
    }
    if (tools.dryRun) return challenge('mfa_enrolment_required');
    const offer = await service.pendingForLogin(actor.id, actor.email, tools.now());
    if (!offer) return challenge('mfa_enrolment_required');
    await audit(host, context, 'mfa.enrol_offer', { via: 'login' });
    return challenge('mfa_enrolment_required', { secret: offer.secret, otpauthUri: offer.otpauthUri, qr: offer.qr });
  };
}

async function audit(host: PluginHost, context: HookContexts['technicianLogin'], action: string, details: Record<string, unknown>): Promise<void> {
  const actor = context.actor!;
  await host.audit.record({ action, outcome: 'success', actorId: actor.id, actorEmail: actor.email, ip: context.ip, targetType: 'user', targetId: actor.id, details: { ...details, method: context.method } });
}
