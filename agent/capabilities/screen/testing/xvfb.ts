import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway X server for tests and the benchmark. */
export interface Xvfb {
  display: string;
  env: NodeJS.ProcessEnv;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `Xvfb :N -screen 0 WxHx24 -nolisten tcp` on a free display number and waits for its
 * socket. Only this process is stopped afterwards (by its own pid).
 */
export async function startXvfb(width = 1280, height = 800): Promise<Xvfb> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const n = 100 + Math.floor(Math.random() * 800);
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const child = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-nocursor'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const up = await waitFor(() => existsSync(`/tmp/.X11-unix/X${n}`) || child.exitCode !== null, 5_000);
    if (!up || child.exitCode !== null) {
      child.kill('SIGKILL');
      continue;
    }
    const display = `:${n}`;
    return {
      display, process: child, env: { ...process.env, DISPLAY: display },
      stop: async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      },
    };
  }
  throw new Error('No free X display number for Xvfb.');
}

/** Runs an X client command against the display and returns its stdout. */
export async function x(display: string, command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { env: { ...process.env, DISPLAY: display }, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Polls until `check` is true or the time is up; returns whether it became true. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, every = 25): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, every));
  }
  return Boolean(await check());
}
