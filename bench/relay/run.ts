/**
 * Relay benchmark, one run: throughput and added latency against a plain Node TCP pipe, the
 * memory of idle paired sessions, and CPU per GiB and throughput against a minimal ws relay. The measured thing (relay or pipe) runs alone in a host
 * process, the endpoints in client processes. `node --import tsx bench/relay/run.ts`
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { generateSigningKey } from '../../relay/tickets.js';
import { startChild } from './ipc.js';
import { versusMinimalRelay } from './versus-minimal.js';

const FRAME_BYTES = 64 * 1024;
const FRAMES = 2_048;
const RUNS = 5;
// 1 000 messages/s for 5 s each way, in 1 s slices alternating relay and pipe so that noise from
// other processes on the machine hits both alike.
const LATENCY = { rate: 1_000, seconds: 1, bytes: 1_024 };
const LATENCY_SLICES = 5;
const TARGET_SESSIONS = 10_000;
// Sockets the relay process needs besides the sessions' (listener, stdio, IPC, epoll...).
const SPARE_FDS = 200;

const keys = generateSigningKey();
const require = createRequire(import.meta.url);

interface Row {
  measure: string;
  relay: string;
  pipe: string;
  result: string;
  target: string;
  met: string;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const mbps = (ms: number): number => (FRAMES * FRAME_BYTES) / 1e6 / (ms / 1000);
const fixed = (n: number, digits = 2): string => n.toFixed(digits);
const signed = (n: number): string => `${n < 0 ? '-' : '+'}${fixed(Math.abs(n), 3)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** This process's open-file limit (the children inherit it); Infinity where /proc is missing. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && soft !== 'unlimited' ? Number(soft) : Infinity;
  } catch {
    return Infinity;
  }
}

function hasModule(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

async function throughputAndLatency(): Promise<Row[]> {
  const host = startChild('bench/relay/host.ts');
  const clients = startChild('bench/relay/clients.ts');
  try {
    const { port: relayPort } = await host.call<{ port: number }>('relay', { publicPem: keys.publicPem });
    const { port } = await host.call<{ port: number }>('pipe');
    const target = { url: `ws://127.0.0.1:${relayPort}/relay`, privatePem: keys.privatePem };
    const frames = { frames: FRAMES, frameBytes: FRAME_BYTES };
    const measure = async (command: string, args: object): Promise<number> => mbps((await clients.call<{ ms: number }>(command, { ...args, ...frames })).ms);
    await clients.call('throughputRaw', { ...target, frames: 256, frameBytes: FRAME_BYTES, zeroMask: false });
    await clients.call('throughputPipe', { port, frames: 256, frameBytes: FRAME_BYTES });
    const runs: Record<'relay' | 'pipe' | 'zeroMask' | 'wsClients', number[]> = { relay: [], pipe: [], zeroMask: [], wsClients: [] };
    for (let run = 0; run < RUNS; run++) {
      runs.relay.push(await measure('throughputRaw', { ...target, zeroMask: false }));
      runs.pipe.push(await measure('throughputPipe', { port }));
      runs.zeroMask.push(await measure('throughputRaw', { ...target, zeroMask: true }));
      runs.wsClients.push(await measure('throughputRelay', target));
    }
    console.log(`throughput runs (MB/s): ${Object.entries(runs).map(([name, values]) => `${name} ${values.map((n) => fixed(n, 0)).join(', ')}`).join('; ')}`);
    const relay = median(runs.relay);
    const pipe = median(runs.pipe);
    // Runs alternate, so each relay run is compared with the pipe run next to it: load from
    // other processes drifts between runs but hits both of a pair alike.
    const ratioOf = (values: number[]) => median(values.map((value, run) => value / runs.pipe[run]!));
    const ratio = ratioOf(runs.relay);

    const viaRelay: number[] = [];
    const viaPipe: number[] = [];
    await clients.call('latencyRelay', { ...target, ...LATENCY, seconds: 0.5 });
    await clients.call('latencyPipe', { port, ...LATENCY, seconds: 0.5 });
    for (let slice = 0; slice < LATENCY_SLICES; slice++) {
      viaRelay.push(...(await clients.call<{ rtts: number[] }>('latencyRelay', { ...target, ...LATENCY })).rtts);
      viaPipe.push(...(await clients.call<{ rtts: number[] }>('latencyPipe', { port, ...LATENCY })).rtts);
    }
    console.log(`latency: ${viaRelay.length} round trips via relay, ${viaPipe.length} via pipe (${LATENCY.bytes}-byte messages)`);
    const added = (p: number) => percentile(viaRelay, p) - percentile(viaPipe, p);
    const ms = (values: number[], p: number) => `${fixed(percentile(values, p), 3)} ms`;
    return [
      { measure: `throughput, ${FRAMES} × 64 KiB frames (median)`, relay: `${fixed(relay, 0)} MB/s`, pipe: `${fixed(pipe, 0)} MB/s`, result: `${fixed(ratio)}×`, target: '≥ 0.70×', met: ratio >= 0.7 ? 'yes' : 'NO' },
      info('  (info) zero masks: relay skips unmasking', median(runs.zeroMask), ratioOf(runs.zeroMask)),
      info('  (info) ws library clients on both ends', median(runs.wsClients), ratioOf(runs.wsClients)),
      { measure: 'round trip p50, 1 000 msg/s', relay: ms(viaRelay, 50), pipe: ms(viaPipe, 50), result: `${signed(added(50))} ms`, target: '', met: '' },
      { measure: 'round trip p99, 1 000 msg/s', relay: ms(viaRelay, 99), pipe: ms(viaPipe, 99), result: `${signed(added(99))} ms`, target: '≤ +1 ms', met: `${added(99) <= 1 ? 'yes' : 'NO'}${percentile(viaPipe, 99) > 1 ? ' (noisy: pipe p99 > 1 ms)' : ''}` },
    ];
  } finally {
    await Promise.all([host.stop(), clients.stop()]);
  }
}

async function idleSessions(): Promise<Row[]> {
  const limit = openFileLimit();
  const sessions = Math.min(TARGET_SESSIONS, Math.floor((limit - SPARE_FDS) / 2));
  const label = sessions < TARGET_SESSIONS ? `${sessions} sessions measured (fd limit ${limit}), per-session figure extrapolated to ${TARGET_SESSIONS}` : `${sessions} sessions`;
  const host = startChild('bench/relay/host.ts');
  const technicians = startChild('bench/relay/clients.ts');
  const customers = startChild('bench/relay/clients.ts');
  try {
    const { port } = await host.call<{ port: number }>('relay', { publicPem: keys.publicPem });
    const before = await host.call<NodeJS.MemoryUsage>('memory');
    const started = Date.now();
    const target = { url: `ws://127.0.0.1:${port}/relay`, privatePem: keys.privatePem, count: sessions, concurrency: 100 };
    const opened = await Promise.all([technicians.call('idleOpen', { ...target, role: 'technician' }), customers.call('idleOpen', { ...target, role: 'customer' })]);
    let stats = await host.call<{ pairedSessions: number; sockets: number }>('stats');
    while (stats.pairedSessions < sessions && Date.now() - started < 120_000) {
      await sleep(200);
      stats = await host.call('stats');
    }
    console.log(`idle: ${stats.pairedSessions} paired sessions (${stats.sockets} sockets) in ${((Date.now() - started) / 1000).toFixed(1)} s; clients ${JSON.stringify(opened)}`);
    await sleep(2_000);
    const after = await host.call<NodeJS.MemoryUsage>('memory');
    const paired = stats.pairedSessions;
    const rss = (after.rss - before.rss) / paired / 1024;
    const heap = (after.heapUsed + after.external - before.heapUsed - before.external) / paired / 1024;
    console.log(`idle: relay process rss ${fixed(before.rss / 2 ** 20, 1)} → ${fixed(after.rss / 2 ** 20, 1)} MiB, heap+external ${fixed((before.heapUsed + before.external) / 2 ** 20, 1)} → ${fixed((after.heapUsed + after.external) / 2 ** 20, 1)} MiB (${label})`);
    return [
      { measure: `idle sessions (${paired} measured): RSS/session`, relay: `${fixed(rss, 1)} KB`, pipe: '', result: `${fixed((rss * TARGET_SESSIONS) / 1024, 0)} MiB per 10k`, target: '≤ 30 KB', met: rss <= 30 ? 'yes' : 'NO' },
      { measure: `idle sessions (${paired} measured): heap/session`, relay: `${fixed(heap, 1)} KB`, pipe: '', result: `${fixed((heap * TARGET_SESSIONS) / 1024, 0)} MiB per 10k`, target: '≤ 30 KB', met: heap <= 30 ? 'yes' : 'NO' },
    ];
  } finally {
    await Promise.all([technicians.call('idleClose').catch(() => null), customers.call('idleClose').catch(() => null)]);
    await Promise.all([host.stop(), technicians.stop(), customers.stop()]);
  }
}

/** A throughput row that explains the main figure, without a target. */
function info(measure: string, relay: number, ratio: number): Row {
  return { measure, relay: `${fixed(relay, 0)} MB/s`, pipe: '', result: `${fixed(ratio)}×`, target: '', met: '' };
}

/** Prints rows as a Markdown table, the given keys as columns under the given headers. */
function printTable<R extends object>(rows: R[], columns: (keyof R & string)[], headers: string[] = columns): void {
  const cell = (r: R, c: keyof R) => String(r[c]);
  const widths = columns.map((c, i) => Math.max(headers[i]!.length, ...rows.map((r) => cell(r, c).length)));
  const line = (cells: string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => cell(row, c))));
}

const nativeMask = typeof (http as { websocketMask?: unknown }).websocketMask === 'function';
console.log(`relay benchmark: Node ${process.version}, ws ${(require('ws/package.json') as { version: string }).version}, bufferutil ${hasModule('bufferutil') ? 'installed' : 'not installed'}, native http.websocketMask ${nativeMask ? 'yes' : 'no'}, ${availableParallelism()} CPUs`);
const rows = [...(await throughputAndLatency()), ...(await idleSessions())];
const versus = await versusMinimalRelay(keys);
printTable(rows, ['measure', 'relay', 'pipe', 'result', 'target', 'met']);
console.log('');
printTable(versus, ['measure', 'relay', 'baseline', 'result', 'target', 'met'], ['measure', 'relay', 'minimal ws relay', 'result', 'target', 'met']);
console.log('');
console.log(`throughput: bare WebSocket clients write one pre-masked frame (random mask), so they cost what the pipe's TCP clients cost; the relay still unmasks every frame. "zero masks" shows the relay without unmasking (what a native unmask approaches); "ws library clients" adds ws's own client-side masking.`);
console.log('versus minimal: the same bare clients through the project relay and a minimal ws relay (bench/relay/minimal-relay.ts: no tickets, limits, backpressure or resume), each alone in its process, plain and over TLS (self-signed, loopback); CPU is that process\'s user+system time per GiB forwarded; ratios are taken run by run.');
console.log('latency: 1 KiB messages, a → relay/pipe → b, echoed back; 1 s slices alternate relay and pipe. Memory: relay process alone (clients in two other processes), after gc.');
