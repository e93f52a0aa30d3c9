import { findUserRowByEmail, getUser, normaliseEmail } from '../../../accounts/users.js';
import type { Role } from '../../../auth/roles.js';
import type { UserRow } from '../../../db/schema.js';
import type { AccountFacts, Decision, HookContexts } from '../../../policy/types.js';
import type { Services } from '../../env.js';

/** Why an account may not log in whatever the plugins say. */
export interface AccountRefusal {
  code: 'unknown_account' | 'account_locked' | 'account_disabled';
  reason: string;
}

/**
 * The account-state part of a login decision, used by the real login and by "test a policy":
 * no account, a lockout that is running, or a disabled account each refuse the login.
 */
export function accountRefusal(services: Services, email: string, row: UserRow | null): AccountRefusal | null {
  if (services.lockout.remainingMs(email, row) > 0) return { code: 'account_locked', reason: 'The account is locked after repeated failed logins.' };
  if (!row) return { code: 'unknown_account', reason: 'No account has this login.' };
  if (row.enabled !== 1) return { code: 'account_disabled', reason: 'The account is disabled.' };
  return null;
}

/** The technicianLogin context for an account, built the same way for the real login and for "test a policy". */
export function loginContext(account: AccountFacts, input: { ip: string; at: number; method: string; code: string | null }): HookContexts['technicianLogin'] {
  return { ip: input.ip, at: input.at, actor: account, sessionId: null, channel: 'console', facts: {}, email: account.email, method: input.method, code: input.code };
}

/** An account's facts for the policy plugins: id, e-mail, role and technician groups. */
export async function accountFacts(services: Services, row: UserRow): Promise<AccountFacts> {
  const groups = (await getUser(services.db, row.id))?.groups ?? [];
  return { id: row.id, email: row.email, role: row.role as Role, groups };
}

const refused = (refusal: { code: string; reason: string }, plugin = 'core'): Decision => ({
  outcome: 'deny', code: refusal.code, reason: refusal.reason, trace: [{ plugin, outcome: 'deny', code: refusal.code, reason: refusal.reason, ms: 0 }], facts: {},
});

/**
 * "Test a policy" for a login, minus the password: finds the account as the login would (local
 * first, else the authenticating plugins' lookup), refuses for its state as the login does, then
 * runs the same chain with the same context and default. `role` lets an admin ask "what if".
 */
export async function explainLogin(services: Services, input: { email: string; ip: string; at: number; code: string | null; role?: Role | undefined }): Promise<Decision> {
  const email = normaliseEmail(input.email);
  const local = await findUserRowByEmail(services.db, email);
  let row: UserRow | null = local;
  let account: AccountFacts | null = null;
  let method = 'password';
  if (!local || local.auth_source !== 'local') {
    const { result, plugin, asked } = await services.pipeline.lookup(input.email.trim());
    if (result.outcome === 'rejected') return refused({ code: result.reason, reason: `The ${plugin} plugin would refuse this login: ${result.reason}.` }, plugin ?? 'core');
    // A directory that was asked and does not know the login: the login fails as for an unknown one.
    // When no plugin can look up without the password, the local account's state is all there is.
    if (result.outcome === 'unknown' && asked) row = null;
    if (result.outcome === 'found') {
      method = plugin ?? 'external';
      account = result.account;
      row = account.id ? (await services.db.selectFrom('users').selectAll().where('id', '=', account.id).executeTakeFirst()) ?? null : null;
    }
  }
  // An account the directory would create at its first login has no local state yet.
  const refusal = account && !account.id ? null : accountRefusal(services, email, row);
  if (refusal) return refused(refusal);
  account ??= await accountFacts(services, row!);
  const asked = input.role ? { ...account, role: input.role } : account;
  return services.pipeline.explain('technicianLogin', loginContext(asked, { ip: input.ip, at: input.at, method, code: input.code }));
}
