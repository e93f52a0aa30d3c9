import { spawn } from 'node:child_process';

/**
 * Checks a local account's password through PAM with Debian's `pamtester` (no native module):
 * `pamtester <service> <user> authenticate acct_mgmt`, the password on its stdin (never on a
 * command line, where other users could read it). The PAM service file names the stack, by
 * default /etc/pam.d/rescuebox-unattended (common-auth + common-account) written at install.
 */

/** Local user names as Debian allows them; anything else (an option, a path) is refused before PAM. */
export const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/;

/** How long PAM may take (pam_unix waits ~2 s after a failure). */
const PAM_TIMEOUT_MS = 15_000;

/** The outcome of one check. */
export type CredentialResult = 'accepted' | 'rejected' | 'bad_user';

/** Runs the PAM check; any failure to run it counts as rejected (fail closed). */
export function checkCredentials(service: string, user: string, password: string, env: NodeJS.ProcessEnv = process.env): Promise<CredentialResult> {
  if (!USER_NAME.test(user)) return Promise.resolve('bad_user');
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('pamtester', [service, user, 'authenticate', 'acct_mgmt'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      resolve('rejected');
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), PAM_TIMEOUT_MS);
    child.on('error', () => {
      clearTimeout(timer);
      resolve('rejected');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? 'accepted' : 'rejected');
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${password.replace(/[\r\n]/g, '')}\n`);
  });
}
