/**
 * Screen-sharing benchmark, one run (`npm run bench:screen`): Xvfb 1920×1080, four scripted
 * workloads; for each, our streamer (capture → tiles → encode, messages compressed as the
 * channel does, acknowledged by an immediate viewer) and x11vnc with a Tight viewer on the same
 * display, one after the other while the workload keeps running. Reports delivered fps, bytes
 * per second and our encode time per frame, and our figures as a ratio to VNC's. Scrolling runs
 * a second time while another process keeps one core busy.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJpegEncoder } from '../../agent/capabilities/screen/encoder.js';
import { ScreenStreamer } from '../../agent/capabilities/screen/streamer.js';
import { startXvfb } from '../../agent/capabilities/screen/testing/xvfb.js';
import { X11ScreenSource } from '../../agent/capabilities/screen/x11-source.js';
import { maybeCompress } from '../../protocol/compression.js';
import { encodeMessage } from '../../protocol/messages.js';
import { RfbCounter } from './rfb-client.js';
import { desktop, type Workload } from './workloads.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const WARMUP_MS = 1_500;
const MEASURE_MS = 6_000;
/** Per DATA frame on the wire: kind, counter, GCM tag, compression flag (see docs/protocol.md). */
const FRAME_OVERHEAD = 1 + 8 + 16 + 1;

interface Result {
  fps: number;
  bytesPerSecond: number;
  encodeMs?: number;
  /** Scrolls sent as screen.copy. */
  copies?: number;
}

/** What each workload must reach, as ratios to VNC in the same run (issue 16). */
const TARGETS: Record<string, { fps?: number; bytes?: number }> = {
  'typing in a terminal': { bytes: 0.8 },
  'scrolling long text': { fps: 30, bytes: 0.2 },
  'scrolling long text, one core busy': { fps: 24 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Our streamer against the display; bytes as they would leave the agent (compressed, sealed). */
async function measureOurs(display: string): Promise<Result> {
  const source = await X11ScreenSource.open(display);
  const [screen] = await source.screens();
  let bytes = 0;
  let counting = false;
  const streamer: ScreenStreamer = new ScreenStreamer({
    source, jpeg: await loadJpegEncoder(), onError: (error) => console.error(error),
    send: async (message, payload) => {
      const [, body] = await maybeCompress(encodeMessage(message, payload));
      if (counting) bytes += body.length + FRAME_OVERHEAD;
      if (message.type === 'screen.update') setImmediate(() => streamer.ack(message.seq));
    },
  });
  streamer.start(screen!);
  await sleep(WARMUP_MS);
  const frames0 = streamer.stats.frames;
  const encode0 = streamer.stats.encodeMs;
  const copies0 = streamer.stats.copies;
  counting = true;
  await sleep(MEASURE_MS);
  counting = false;
  const frames = streamer.stats.frames - frames0;
  const encodeMs = streamer.stats.encodeMs - encode0;
  streamer.stop();
  source.close();
  return { fps: frames / (MEASURE_MS / 1000), bytesPerSecond: bytes / (MEASURE_MS / 1000), encodeMs: frames ? encodeMs / frames : 0, copies: streamer.stats.copies - copies0 };
}

/** x11vnc on the same display, read by a Tight viewer that asks for the next update at once. */
async function measureVnc(display: string): Promise<Result> {
  const port = await freePort();
  const vnc = spawn('x11vnc', ['-display', display, '-rfbport', String(port), '-localhost', '-nopw', '-shared', '-forever', '-quiet', '-noxrecord', '-nocursorshape', '-nocursorpos'], { stdio: 'ignore' });
  try {
    const client = new RfbCounter();
    for (let attempt = 0; ; attempt += 1) {
      try {
        await sleep(300);
        await client.start(port);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
      }
    }
    await sleep(WARMUP_MS);
    client.reset();
    await sleep(MEASURE_MS);
    const result = { fps: client.updates / (MEASURE_MS / 1000), bytesPerSecond: client.bytes / (MEASURE_MS / 1000) };
    client.stop();
    return result;
  } finally {
    vnc.kill('SIGTERM');
    await sleep(200);
    if (vnc.exitCode === null) vnc.kill('SIGKILL');
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB/s`;
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '—' : '∞') : `${(a / b).toFixed(2)}x`);

/** Whether our figures reach the workload's targets (fps absolute, bytes as a ratio to VNC). */
function verdict(name: string, ours: Result, vnc: Result): string {
  const target = TARGETS[name];
  if (!target) return '';
  const checks: string[] = [];
  if (target.fps !== undefined) checks.push(`fps ≥ ${target.fps}: ${ours.fps >= target.fps ? 'yes' : 'NO'}`);
  if (target.bytes !== undefined) checks.push(`bytes ≤ ${target.bytes}×: ${vnc.bytesPerSecond > 0 && ours.bytesPerSecond / vnc.bytesPerSecond <= target.bytes ? 'yes' : 'NO'}`);
  return checks.join('; ');
}

/** A process that keeps one core busy (spinning) until stopped. */
function busyCore(): () => void {
  const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return () => void spinner.kill('SIGKILL');
}

async function runWorkload(workload: Workload, display: string, name = workload.name, busy = false): Promise<string> {
  const stop = await workload.start();
  const idle = busy ? busyCore() : () => undefined;
  try {
    const ours = await measureOurs(display);
    const vnc = await measureVnc(display);
    // Bytes per delivered frame too: the two sides do not see exactly the same number of changes.
    const perFrame = (r: Result) => (r.fps ? r.bytesPerSecond / r.fps : 0);
    return `| ${name} | ${ours.fps.toFixed(1)} | ${kb(ours.bytesPerSecond)} | ${ours.encodeMs!.toFixed(1)} ms | ${ours.copies} | ${vnc.fps.toFixed(1)} | ${kb(vnc.bytesPerSecond)} | ${ratio(ours.bytesPerSecond, vnc.bytesPerSecond)} | ${ratio(perFrame(ours), perFrame(vnc))} | ${ratio(ours.fps, vnc.fps)} | ${verdict(name, ours, vnc)} |`;
  } finally {
    idle();
    await stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-screen-'));
  const xvfb = await startXvfb(WIDTH, HEIGHT);
  try {
    const { workloads, close } = await desktop(dir, xvfb.env, WIDTH, HEIGHT);
    console.log(`Screen sharing on Xvfb ${WIDTH}x${HEIGHT}, ${MEASURE_MS / 1000} s per workload and side; ours vs x11vnc (Tight, JPEG quality 7, zlib 6).\n`);
    console.log('| workload | ours fps | ours bytes | ours encode/frame | ours copies | VNC fps | VNC bytes | bytes/s ours/VNC | bytes/frame ours/VNC | fps ours/VNC | targets met |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const workload of workloads) console.log(await runWorkload(workload, xvfb.display));
    const scrolling = workloads.find((w) => w.name === 'scrolling long text')!;
    console.log(await runWorkload(scrolling, xvfb.display, 'scrolling long text, one core busy', true));
    await close();
  } finally {
    await xvfb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
