import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { closeDisplay, openDisplay, type XDisplay } from '../../agent/capabilities/screen/x11-client.js';
import { x } from '../../agent/capabilities/screen/testing/xvfb.js';

/** One scripted desktop activity, running until stopped. */
export interface Workload {
  name: string;
  start(): Promise<() => Promise<void>>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ';

/** Starts a child and returns a stopper that kills exactly it. */
function child(command: string, args: string[], env: NodeJS.ProcessEnv): { process: ChildProcess; stop: () => Promise<void> } {
  const process = spawn(command, args, { env, stdio: 'ignore' });
  return {
    process,
    stop: async () => {
      if (process.exitCode === null) process.kill('SIGKILL');
      await sleep(50);
    },
  };
}

/**
 * The benchmark's desktop and its four workloads: a static desktop, typing in a terminal,
 * a terminal scrolling long text, and a photo moving across the screen. The desktop is a
 * photographic wallpaper with a terminal full of text on it, as a real one would be.
 */
export async function desktop(dir: string, env: NodeJS.ProcessEnv, width: number, height: number): Promise<{ workloads: Workload[]; close: () => Promise<void> }> {
  const wallpaper = join(dir, 'wallpaper.png');
  await x(env.DISPLAY!, 'convert', ['-size', `${width}x${height}`, '-seed', '3', 'plasma:steelblue-navy', '-blur', '0x2', wallpaper]);
  await new Promise((resolve) => spawn('display', ['-window', 'root', wallpaper], { env, stdio: 'ignore' }).once('exit', resolve));
  const text = join(dir, 'long.txt');
  writeFileSync(text, Array.from({ length: 4000 }, (_, i) => `${String(i + 1).padStart(5)}  ${LOREM.slice(0, 60 + (i % 50))}`).join('\n'));
  const term = (args: string[]) => child('xterm', ['-geometry', '160x50+40+40', '-fa', 'DejaVu Sans Mono', '-fs', '10', '-bg', 'white', '-fg', 'black', ...args], env);
  const base = term(['-e', 'sh', '-c', `head -c 6000 ${text}; exec sleep 100000`]);
  await sleep(1500);
  const display: XDisplay = await openDisplay(env.DISPLAY!);

  const workloads: Workload[] = [
    { name: 'static desktop', start: async () => async () => undefined },
    {
      name: 'typing in a terminal',
      start: async () => {
        const t = term(['-geometry', '100x30+600+300', '-e', 'cat']);
        await sleep(1200);
        await x(env.DISPLAY!, 'xdotool', ['mousemove', '900', '500']);
        const typist = child('xdotool', ['type', '--delay', '60', LOREM.repeat(20)], env);
        return async () => {
          await typist.stop();
          await t.stop();
        };
      },
    },
    {
      name: 'scrolling long text',
      start: async () => {
        const t = term(['-geometry', '200x60+0+0', '-e', 'sh', '-c', `while :; do while IFS= read -r l; do echo "$l"; sleep 0.015; done < ${text}; done`]);
        await sleep(1200);
        return t.stop;
      },
    },
    { name: 'moving image', start: () => movingImage(display, dir, width, height) },
  ];
  return { workloads, close: async () => {
    await base.stop();
    closeDisplay(display);
  } };
}

/** A 480×320 photo in its own window, moved across the screen 30 times a second. */
async function movingImage(display: XDisplay, dir: string, width: number, height: number): Promise<() => Promise<void>> {
  const file = join(dir, 'photo.png');
  await new Promise<void>((resolve, reject) => spawn('convert', ['-size', '480x320', '-seed', '11', 'plasma:fractal', '-blur', '0x1', file]).once('exit', (code) => (code === 0 ? resolve() : reject(new Error('convert failed')))));
  const rgb = await sharp(file).removeAlpha().raw().toBuffer();
  const bgrx = Buffer.alloc(480 * 320 * 4);
  for (let i = 0; i < 480 * 320; i += 1) {
    bgrx[i * 4] = rgb[i * 3 + 2]!;
    bgrx[i * 4 + 1] = rgb[i * 3 + 1]!;
    bgrx[i * 4 + 2] = rgb[i * 3]!;
  }
  const X = display.client;
  const pixmap = X.AllocID();
  X.CreatePixmap(pixmap, display.root, 24, 480, 320);
  const gc = X.AllocID();
  X.CreateGC(gc, pixmap);
  for (let y = 0; y < 320; y += 40) X.PutImage(2, pixmap, gc, 480, 40, 0, y, 0, 24, bgrx.subarray(y * 480 * 4, (y + 40) * 480 * 4));
  const window = X.AllocID();
  X.CreateWindow(window, display.root, 0, 300, 480, 320, 0, 0, 0, 0, { backgroundPixmap: pixmap, overrideRedirect: 1 });
  X.MapWindow(window);
  let step = 0;
  const timer = setInterval(() => {
    step += 1;
    const span = width - 480;
    const pos = (step * 12) % (2 * span);
    X.ConfigureWindow(window, { x: pos < span ? pos : 2 * span - pos, y: 300 + Math.round(Math.sin(step / 20) * (height / 2 - 340)) });
  }, 33);
  return async () => {
    clearInterval(timer);
    X.DestroyWindow(window);
    X.FreePixmap(pixmap);
    await sleep(100);
  };
}
