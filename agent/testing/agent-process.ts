import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { until } from './technician.js';

/** One JSON line the agent printed in --script mode. */
export type AgentEvent = { event: string } & Record<string, unknown>;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The real agent as a child process in --script mode: its events, its stdin, its exit. */
export class AgentProcess {
  readonly events: AgentEvent[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  /**
   * `entry`: the TypeScript source (run with tsx) or a built bundle; `cwd` defaults to the repository.
   * `executable`: a single-file support program instead, started directly in exactly `env`
   * (nothing inherited: no node on PATH, as on a customer's computer); `wrapper` runs it under
   * another command (strace).
   */
  constructor(args: string[], options: { env?: NodeJS.ProcessEnv; entry?: string; cwd?: string; executable?: string; wrapper?: string[] } = {}) {
    const entry = options.entry ?? 'agent/main.ts';
    const runner = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
    const noProxy = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', ALL_PROXY: '', all_proxy: '', NO_PROXY: '', no_proxy: '' };
    this.child = options.executable
      ? spawn(options.wrapper?.[0] ?? options.executable, [...(options.wrapper?.slice(1) ?? []), ...(options.wrapper ? [options.executable] : []), '--script', ...args], { cwd: options.cwd ?? repoRoot, env: { ...options.env } })
      : spawn(process.execPath, [...runner, '--script', ...args], { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...noProxy, ...options.env } });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as AgentEvent);
      } catch {
        this.events.push({ event: 'unparsed', line });
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Writes one command line to the agent's stdin. */
  say(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** The first event matching, waiting for it if needed. */
  async waitFor(event: string, match: (e: AgentEvent) => boolean = () => true, timeoutMs = 20_000): Promise<AgentEvent> {
    await until(() => this.events.some((e) => e.event === event && match(e)), `agent event ${event} (seen: ${this.events.map((e) => e.event).join(', ')}; stderr: ${this.stderr.slice(-500)})`, timeoutMs);
    return this.events.find((e) => e.event === event && match(e))!;
  }

  count(event: string): number {
    return this.events.filter((e) => e.event === event).length;
  }

  /** Ctrl-C. */
  interrupt(): void {
    this.child.kill('SIGINT');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * The process's sockets as Linux lists them: inodes from /proc/<pid>/fd, matched against
 * /proc/net/tcp{,6} and udp{,6}. `listening` are TCP sockets in LISTEN state (0A) and bound
 * UDP sockets; `connected` are established TCP connections.
 */
export function socketsOf(pid: number): { listening: string[]; connected: string[] } {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const listening: string[] = [];
  const connected: string[] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      if (!inode || !inodes.has(inode)) continue;
      if (table.startsWith('udp') || state === '0A') listening.push(`${table} ${local}`);
      else if (state === '01') connected.push(`${table} ${local}`);
    }
  }
  return { listening, connected };
}
