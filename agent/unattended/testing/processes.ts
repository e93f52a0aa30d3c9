import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { until } from '../../testing/technician.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const noProxy = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', ALL_PROXY: '', all_proxy: '', NO_PROXY: '', no_proxy: '' };

/** The real agent (agent/main.ts under tsx) as a child process with one unattended command. */
export class AgentCommand {
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'agent/main.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...noProxy, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ event: 'unparsed', line });
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The first line with this event, waiting for it. */
  async waitFor(event: string, match: (line: Record<string, unknown>) => boolean = () => true, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    await until(() => this.lines.some((l) => l.event === event && match(l)), `agent ${event} (seen: ${this.lines.map((l) => l.event).join(', ')}; stderr: ${this.stderr.slice(-800)})`, timeoutMs);
    return this.lines.find((l) => l.event === event && match(l))!;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Runs one agent command to its end; returns exit code, JSON lines and stderr. */
export async function runAgentCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  const command = new AgentCommand(args, env);
  const code = await command.exited;
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { code, lines: command.lines, stderr: command.stderr };
}
