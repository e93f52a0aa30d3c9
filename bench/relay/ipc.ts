/** Request/response over a child process's IPC channel, so each bench role runs in its own process. */
import { fork, type ChildProcess } from 'node:child_process';

interface Request {
  id: number;
  command: string;
  args: unknown;
}

interface Response {
  id: number;
  result?: unknown;
  error?: string;
}

/** In a child: answers the parent's commands with these handlers. */
export function serve(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (message: Request) => {
    const handler = handlers[message.command];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${message.command}`);
        return (handler as (args: unknown) => unknown)(message.args);
      })
      .then(
        (result) => process.send?.({ id: message.id, result } satisfies Response),
        (error: Error) => process.send?.({ id: message.id, error: error.stack ?? String(error) } satisfies Response),
      );
  });
}

/** A bench child process and a typed way to call it. */
export interface BenchChild {
  process: ChildProcess;
  call<T>(command: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks a bench script under tsx with gc exposed. With BENCH_CPU_PROF=<dir> set, host children
 * write a V8 CPU profile there when they stop (open it in Chrome's DevTools or speedscope).
 */
export function startChild(script: string): BenchChild {
  const profile = process.env.BENCH_CPU_PROF && script.endsWith('host.ts') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(script, [], { execArgv: ['--import', 'tsx', '--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  child.on('message', (message: Response) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) entry?.reject(new Error(message.error));
    else entry?.resolve(message.result);
  });
  child.on('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`${script} exited with ${code}`));
    waiting.clear();
  });
  return {
    process: child,
    call: <T>(command: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, command, args } satisfies Request);
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
