import { randomBytes } from 'node:crypto';
import { findUserRowByEmail, updateUser } from '../../accounts/users.js';
import { endAllLoginSessions } from '../../auth/login-sessions.js';
import { hashPassword } from '../../auth/password-hash.js';
import { CLI_ACTOR, CliError, parseArgs, type CliContext, type Command } from '../command.js';

async function userByEmail(ctx: CliContext, email: string | undefined) {
  if (!email) throw new CliError('an e-mail address is required');
  const user = await findUserRowByEmail(await ctx.db(), email);
  // At the shell the operator already holds the data dir: saying "no such account" leaks nothing.
  if (!user) throw new CliError(`no account with e-mail ${email}`, 1);
  return user;
}

/** `rescuebox users unlock <email>`: ends a lockout after failed logins. */
export const usersUnlock: Command = {
  name: 'users unlock',
  usage: 'rescuebox users unlock <email>',
  summary: 'Lift the lockout of an account (after too many failed logins).',
  async run(args, ctx) {
    const user = await userByEmail(ctx, parseArgs(args).positional[0]);
    await (await ctx.db()).updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await (await ctx.audit()).record({ action: 'cli.user_unlocked', outcome: 'success', ...CLI_ACTOR, targetType: 'user', targetId: user.id, details: { email: user.email } });
    ctx.out(`Unlocked ${user.email}.`);
    return 0;
  },
};

/**
 * `rescuebox users reset-password <email> [--enable]`: recovery when the last admin lost
 * their password. Prints a new random password once; every login session of the account ends.
 */
export const usersResetPassword: Command = {
  name: 'users reset-password',
  usage: 'rescuebox users reset-password <email> [--enable]',
  summary: 'Set a new random password (printed once), end the account\'s sessions; --enable also re-enables it.',
  async run(args, ctx) {
    const { positional, options } = parseArgs(args);
    const user = await userByEmail(ctx, positional[0]);
    if (user.auth_source !== 'local') throw new CliError(`${user.email} signs in through ${user.auth_source}; reset the password there`, 1);
    const password = `${randomBytes(18).toString('base64url')}-Rb1`;
    const db = await ctx.db();
    await updateUser(db, ctx.clock, user.id, { passwordHash: await hashPassword(password), ...(options.has('enable') && { enabled: true }) });
    const ended = await endAllLoginSessions(db, user.id);
    await (await ctx.audit()).record({ action: 'cli.password_reset', outcome: 'success', ...CLI_ACTOR, targetType: 'user', targetId: user.id, details: { email: user.email, sessionsEnded: ended, enabled: options.has('enable') } });
    ctx.out(`New password for ${user.email}: ${password}`);
    ctx.out('It is shown only now. Change it after logging in.');
    return 0;
  },
};
