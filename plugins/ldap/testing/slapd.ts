import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's slapd: not on a normal user's PATH. */
export const SLAPD = '/usr/sbin/slapd';

/** A throwaway OpenLDAP server on loopback, for tests. */
export interface Slapd {
  /** ldap:// URL (StartTLS offered when started with TLS). */
  url: string;
  /** ldaps:// URL, when started with TLS. */
  ldapsUrl: string | null;
  suffix: string;
  rootDn: string;
  rootPassword: string;
  /** Adds entries (LDIF) as the root DN. */
  add(ldif: string): Promise<void>;
  /** Applies an LDIF change set (changetype: modify…) as the root DN. */
  modify(ldif: string): Promise<void>;
  /** Deletes entries by DN as the root DN. */
  remove(...dns: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Start options: extra schema (Debian's files by name, or schema text) and TLS material. */
export interface SlapdOptions {
  suffix?: string;
  extraSchemas?: string[];
  /** slapd.conf schema text (attributetype / objectclass lines), written beside the config. */
  schemaText?: string;
  tls?: { certPem: string; keyPem: string; caPem: string };
}

const ROOT_PASSWORD = 'slapd-root-secret';

/**
 * Starts slapd in the foreground with a generated slapd.conf and an mdb database in a temp dir,
 * creates the suffix entry, and waits until it answers. The caller must `stop()` it.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  if (!existsSync(SLAPD)) throw new Error(`${SLAPD} is missing: apt-get install -y --no-install-recommends slapd ldap-utils`);
  const suffix = options.suffix ?? 'dc=example,dc=org';
  const rootDn = `cn=admin,${suffix}`;
  const dir = await mkdtemp(join(tmpdir(), 'rescuebox-slapd-'));
  await mkdir(join(dir, 'db'));
  if (options.tls) {
    await writeFile(join(dir, 'ca.pem'), options.tls.caPem);
    await writeFile(join(dir, 'cert.pem'), options.tls.certPem);
    await writeFile(join(dir, 'key.pem'), options.tls.keyPem, { mode: 0o600 });
  }
  if (options.schemaText) await writeFile(join(dir, 'extra.schema'), options.schemaText);
  await writeFile(join(dir, 'slapd.conf'), config(dir, suffix, rootDn, options));
  const [port, tlsPort] = [await freePort(), await freePort()];
  const listen = [`ldap://127.0.0.1:${port}/`, ...(options.tls ? [`ldaps://127.0.0.1:${tlsPort}/`] : [])].join(' ');
  const child = spawn(SLAPD, ['-f', join(dir, 'slapd.conf'), '-h', listen, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const url = `ldap://127.0.0.1:${port}`;
  const stop = async () => {
    await kill(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, () => stderr);
    const ldap = (tool: string, args: string[], input: string) => run(tool, ['-x', '-H', url, '-D', rootDn, '-w', ROOT_PASSWORD, ...args], input);
    await ldap('ldapadd', [], `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\no: Test\ndc: ${suffix.split(',')[0]!.split('=')[1]}\n`);
    return {
      url, ldapsUrl: options.tls ? `ldaps://127.0.0.1:${tlsPort}` : null, suffix, rootDn, rootPassword: ROOT_PASSWORD,
      add: (ldif) => ldap('ldapadd', [], ldif),
      modify: (ldif) => ldap('ldapmodify', [], ldif),
      remove: (...dns) => ldap('ldapdelete', [], `${dns.join('\n')}\n`),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function config(dir: string, suffix: string, rootDn: string, options: SlapdOptions): string {
  const schemas = ['core', 'cosine', 'inetorgperson', 'nis', ...(options.extraSchemas ?? [])];
  return [
    ...schemas.map((s) => `include /etc/ldap/schema/${s}.schema`),
    ...(options.schemaText ? [`include ${join(dir, 'extra.schema')}`] : []),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `pidfile ${join(dir, 'slapd.pid')}`,
    ...(options.tls ? [`TLSCACertificateFile ${join(dir, 'ca.pem')}`, `TLSCertificateFile ${join(dir, 'cert.pem')}`, `TLSCertificateKeyFile ${join(dir, 'key.pem')}`] : []),
    'database mdb',
    'maxsize 33554432',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${ROOT_PASSWORD}`,
    `directory ${join(dir, 'db')}`,
    // Like a real directory: passwords only for binding, everything else only for bound users.
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on ${port} within 10 s: ${log()}`);
}

function run(tool: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (${code}): ${stderr.trim()}`))));
    child.stdin.end(input);
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
