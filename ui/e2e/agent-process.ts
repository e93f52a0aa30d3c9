import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One JSON event line of the agent's --script mode. */
export type AgentEvent = Record<string, unknown> & { event: string };

/**
 * The real customer agent as a child process in --script mode: its stdout events are collected,
 * and the test answers prompts and types commands on its stdin, exactly as automation would.
 */
export class AgentProcess {
  readonly events: AgentEvent[] = [];
  readonly child: ChildProcessWithoutNullStreams;
  private waiters: { match: (e: AgentEvent) => boolean; resolve: (e: AgentEvent) => void }[] = [];
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'agent/main.ts', '--script', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let event: AgentEvent;
      try {
        event = JSON.parse(line) as AgentEvent;
      } catch {
        return;
      }
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    });
  }

  /** Waits for the first event (already seen or coming) that matches. */
  waitFor(match: (e: AgentEvent) => boolean, what: string, timeoutMs = 30_000): Promise<AgentEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent: timed out waiting for ${what}; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }

  /** Types one line on the agent's stdin. */
  say(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
