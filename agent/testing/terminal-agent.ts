import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Quotes one word for sh. */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Colours and cursor codes removed, carriage returns dropped: what the customer reads. */
export const plainText = (raw: string) => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/**
 * The agent as a customer sees it: in a real terminal (a pseudo-terminal from util-linux
 * `script`), interactive, no --script. The test reads the screen and types as the customer would.
 * `command` is the program and its arguments (the single-file program, or node with the source).
 */
export class TerminalAgent {
  /** Everything the terminal showed, with colour codes. */
  raw = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(command: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    // -e: script exits with the program's code; -f: flush at once; -q: no banner.
    this.child = spawn('script', ['-qfec', command.map(quote).join(' '), '/dev/null'], { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The screen so far, as text. */
  get text(): string {
    return plainText(this.raw);
  }

  /** Waits until the screen shows `pattern` (after `from` characters of text, when given). */
  async waitForText(pattern: RegExp, what: string, timeoutMs = 60_000, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.text.slice(from));
      if (match) return match;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`terminal: no ${what}; screen:\n${this.text.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Types text as keys (a line needs its own "\r", as the Enter key sends). */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** The process id of `script` (the program runs as its child, in its own session). */
  get pid(): number {
    return this.child.pid!;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
