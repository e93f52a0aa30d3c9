/**
 * The project's relay against the minimal ws relay (bench/relay/minimal-relay.ts), plain and over
 * TLS: CPU time of the relay's own process per GiB forwarded, and throughput. Each relay runs alone
 * in its host process; runs alternate between them so that load from other processes on the
 * machine hits both of a pair alike, and every ratio is taken within a pair.
 */
import { generateSelfSigned } from '../../core/server/tls.js';
import { startChild, type BenchChild } from './ipc.js';

/** One line of the result table (the baseline column holds the minimal relay's figure). */
export interface Row {
  measure: string;
  relay: string;
  baseline: string;
  result: string;
  target: string;
  met: string;
}

// Large frames (file transfer, screen updates) and small ones (input, chat, small tiles), where
// the per-frame cost shows: 128 MiB and 32 MiB per run.
const SIZES = [
  { frameBytes: 64 * 1024, frames: 2_048, label: '64 KiB frames' },
  { frameBytes: 1_024, frames: 32_768, label: '1 KiB frames' },
] as const;
const RUNS = 5;
const GIB = 2 ** 30;

interface Sample {
  mbps: number;
  cpuSecondsPerGib: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fixed = (n: number, digits = 2): string => n.toFixed(digits);
const range = (values: number[]): string => `${fixed(Math.min(...values))}–${fixed(Math.max(...values))}×`;

/** One throughput run through `host`'s relay at `url`, with the host's CPU time around it. */
async function sample(host: BenchChild, target: object, clients: BenchChild, size: { frames: number; frameBytes: number }): Promise<Sample> {
  const before = await host.call<number>('cpu');
  const { ms } = await clients.call<{ ms: number }>('throughputRaw', { ...target, ...size, zeroMask: false });
  const cpuMicros = (await host.call<number>('cpu')) - before;
  const bytes = size.frames * size.frameBytes;
  return { mbps: bytes / 1e6 / (ms / 1000), cpuSecondsPerGib: cpuMicros / 1e6 / (bytes / GIB) };
}

type Name = 'projectPlain' | 'minimalPlain' | 'projectTls' | 'minimalTls';
type Samples = Record<Name, Sample[]>;
const cpu = (s: Sample): number => s.cpuSecondsPerGib;
const speed = (s: Sample): number => s.mbps;

/** One table row: the median of our figures, of the baseline's, and of the per-run ratios. */
function row(samples: Samples, measure: string, [ours, theirs]: [Name, Name], pick: (s: Sample) => number, limit: number | null): Row {
  const values = samples[ours].map((s, run) => pick(s) / pick(samples[theirs][run]!));
  const ratio = median(values);
  const isCpu = pick === cpu;
  const figure = (name: Name) => (isCpu ? `${fixed(median(samples[name].map(pick)))} s/GiB` : `${fixed(median(samples[name].map(pick)), 0)} MB/s`);
  const met = limit === null ? '' : (isCpu ? ratio <= limit : ratio >= limit) ? 'yes' : 'NO';
  return {
    measure,
    relay: figure(ours),
    baseline: figure(theirs),
    result: `${fixed(ratio)}× (runs ${range(values)})`,
    target: limit === null ? '' : `${isCpu ? '≤' : '≥'} ${fixed(limit)}×`,
    met,
  };
}

/** Runs the comparison and returns its table rows. */
export async function versusMinimalRelay(keys: { publicPem: string; privatePem: string }): Promise<Row[]> {
  const tls = await generateSelfSigned(['localhost'], ['127.0.0.1']);
  const project = startChild('bench/relay/host.ts');
  const minimal = startChild('bench/relay/host.ts');
  const clients = startChild('bench/relay/clients.ts');
  try {
    const target = async (host: BenchChild, command: string, secure: boolean): Promise<[BenchChild, object]> => {
      const { port } = await host.call<{ port: number }>(command, { publicPem: keys.publicPem, tls: secure ? tls : undefined });
      return [host, { url: `${secure ? 'wss' : 'ws'}://127.0.0.1:${port}/relay`, privatePem: keys.privatePem, ca: tls.cert }];
    };
    const targets: Record<Name, [BenchChild, object]> = {
      projectPlain: await target(project, 'relay', false),
      minimalPlain: await target(minimal, 'minimal', false),
      projectTls: await target(project, 'relay', true),
      minimalTls: await target(minimal, 'minimal', true),
    };
    const rows: Row[] = [];
    for (const size of SIZES) {
      const samples = await measureSize(targets, clients, size);
      rows.push(
        row(samples, `CPU per GiB, plain, ${size.label}`, ['projectPlain', 'minimalPlain'], cpu, 1.2),
        row(samples, `CPU per GiB, TLS, ${size.label}`, ['projectTls', 'minimalTls'], cpu, 1.05),
        row(samples, `throughput, plain, ${size.label}`, ['projectPlain', 'minimalPlain'], speed, 0.9),
        row(samples, `  (info) throughput, TLS, ${size.label}`, ['projectTls', 'minimalTls'], speed, null),
      );
    }
    return rows;
  } finally {
    await Promise.all([project.stop(), minimal.stop(), clients.stop()]);
  }
}

/** A warm-up run on each target, then RUNS rounds going through all four in turn. */
async function measureSize(targets: Record<Name, [BenchChild, object]>, clients: BenchChild, size: (typeof SIZES)[number]): Promise<Samples> {
  const names = Object.keys(targets) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Samples;
  const warmUp = { ...size, frames: size.frames / 8 };
  for (const name of names) await sample(...targets[name], clients, warmUp);
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) samples[name].push(await sample(...targets[name], clients, size));
  }
  for (const name of names) {
    console.log(`versus minimal, ${size.label}, ${name}: ${samples[name].map((s) => `${fixed(s.mbps, 0)} MB/s ${fixed(s.cpuSecondsPerGib)} s/GiB`).join('; ')}`);
  }
  return samples;
}
