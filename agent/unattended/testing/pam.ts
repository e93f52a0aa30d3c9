import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A PAM stack for tests only: libpam-wrapper redirects PAM to a service dir of our own. */
export interface PamTestStack {
  /** The PAM service name to check against. */
  service: string;
  /** Environment for pamtester (or a process that starts it): LD_PRELOAD of libpam_wrapper. */
  env: NodeJS.ProcessEnv;
}

const WRAPPER = '/usr/lib/x86_64-linux-gnu/libpam_wrapper.so';
const MATRIX = '/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so';

/**
 * Writes a password file and a PAM service using pam_matrix (Debian libpam-wrapper) into
 * `dir`; libpam_wrapper (LD_PRELOAD, PAM_WRAPPER_SERVICE_DIR) makes libpam read it there.
 */
export function pamTestStack(dir: string, users: Record<string, string>): PamTestStack {
  if (!existsSync(WRAPPER) || !existsSync(MATRIX)) throw new Error('The PAM tests need Debian packages libpam-wrapper and pamtester.');
  const services = join(dir, 'pam.d');
  mkdirSync(services, { recursive: true });
  const passdb = join(dir, 'passdb');
  writeFileSync(passdb, Object.entries(users).map(([user, password]) => `${user}:${password}:rescuebox-test\n`).join(''), { mode: 0o600 });
  const service = 'rescuebox-test';
  writeFileSync(join(services, service), `auth required ${MATRIX} passdb=${passdb}\naccount required ${MATRIX} passdb=${passdb}\n`);
  return { service, env: { ...process.env, LD_PRELOAD: WRAPPER, PAM_WRAPPER: '1', PAM_WRAPPER_SERVICE_DIR: services } };
}
