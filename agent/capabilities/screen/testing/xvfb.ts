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

/** A running `xev` window whose printed events a test reads back. */
export interface Xev {
  output(): string;
  stop(): void;
}

/**
 * Starts `xev` at `geometry` (WxH+X+Y) and waits until it has drawn its window and looked up a
 * first key. Why the key: Xlib loads its XKB keymap lazily, at the first key event it handles,
 * and a keycode remapped while that load is under way is never noticed (no MappingNotify
 * reaches xev, and it prints the remapped key as NoSymbol: about 1 start in 10 under load,
 * 0 in 60 with the warm-up). Real desktop programs loaded theirs long before a session starts.
 * The pointer is moved into the window so the key goes there without a window manager.
 */
export async function startXev(env: NodeJS.ProcessEnv, geometry: string): Promise<Xev> {
  const match = /^(\d+)x(\d+)\+(\d+)\+(\d+)$/.exec(geometry);
  if (!match) throw new Error(`xev geometry must be WxH+X+Y, not ${geometry}`);
  const [width, height, left, top] = match.slice(1).map(Number) as [number, number, number, number];
  let out = '';
  // Line-buffered, so each event is readable as soon as xev prints it.
  const child = spawn('stdbuf', ['-oL', 'xev', '-geometry', geometry], { env });
  child.stdout!.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  const stop = () => void child.kill('SIGKILL');
  try {
    if (!(await waitFor(() => /Expose event/.test(out), 5_000))) throw new Error('xev did not draw its window');
    const centre = [String(left + Math.floor(width / 2)), String(top + Math.floor(height / 2))];
    await x(env.DISPLAY!, 'xdotool', ['mousemove', ...centre, 'key', 'Escape']);
    if (!(await waitFor(() => /KeyRelease event[^]*?keysym 0xff1b, Escape/.test(out), 5_000))) throw new Error('xev did not see its first key');
  } catch (error) {
    stop();
    throw error;
  }
  return { output: () => out, stop };
}
