import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A throwaway rsyslogd on loopback writing what it receives to one file. */
export interface Rsyslogd {
  port: number;
  /** Lines received so far, as rsyslog re-emits them in RFC 5424 form. */
  received(): string[];
  stop(): Promise<void>;
}

/** TLS material for the receiver (anonymous client auth: the sender checks the server). */
export interface RsyslogTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * Starts Debian's rsyslogd in the foreground with its own config in a temp dir: one imtcp
 * listener (plain or TLS via the OpenSSL driver) on 127.0.0.1, port 0 unless given.
 */
export async function startRsyslogd(options: { tls?: RsyslogTls; port?: number } = {}): Promise<Rsyslogd> {
  const dir = mkdtempSync(join(tmpdir(), 'rescuebox-rsyslog-'));
  const out = join(dir, 'received.log');
  const portFile = join(dir, 'port');
  const tlsGlobals = options.tls ? tlsFiles(dir, options.tls) : '';
  const driver = options.tls ? ' streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon"' : '';
  writeFileSync(join(dir, 'rsyslog.conf'), [
    `global(workDirectory="${dir}"${tlsGlobals} maxMessageSize="64k")`,
    `module(load="imtcp"${driver})`,
    `input(type="imtcp" address="127.0.0.1" port="${options.port ?? 0}" listenPortFileName="${portFile}")`,
    `action(type="omfile" file="${out}" template="RSYSLOG_SyslogProtocol23Format")`,
    '',
  ].join('\n'));
  const child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const port = options.port ? await waitForListener(child, options.port, () => stderr) : await waitForPort(child, portFile, () => stderr);
  return {
    port,
    received: () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : []),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tlsFiles(dir: string, tls: RsyslogTls): string {
  const write = (name: string, pem: string) => {
    writeFileSync(join(dir, name), pem, { mode: 0o600 });
    return join(dir, name);
  };
  return ` defaultNetstreamDriverCAFile="${write('ca.pem', tls.caPem)}" defaultNetstreamDriverCertFile="${write('cert.pem', tls.certPem)}" defaultNetstreamDriverKeyFile="${write('key.pem', tls.keyPem)}"`;
}

async function waitForPort(child: ChildProcess, portFile: string, stderr: () => string): Promise<number> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${stderr()}`);
    if (existsSync(portFile)) {
      const port = Number(readFileSync(portFile, 'utf8').trim());
      if (port > 0) return port;
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`rsyslogd did not report its port: ${stderr()}`);
}

/** With a fixed port rsyslog writes no port file: wait until the port accepts a connection. */
async function waitForListener(child: ChildProcess, port: number, stderr: () => string): Promise<number> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return port;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`rsyslogd did not listen on ${port}: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
}
