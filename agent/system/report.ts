import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, freemem, hostname, loadavg, networkInterfaces, platform, release, totalmem, type, uptime } from 'node:os';
import { parse } from 'node:path';
import { AGENT_VERSION, linuxDistro } from '../platform.js';
import { parseMounts, readProcProcesses } from './linux.js';
import { readPsProcesses } from './ps.js';
import type { ProcessInfo } from './types.js';

export type { ProcessInfo } from './types.js';

/** The diagnostics report the technician gets after the customer agreed: plain JSON. */
export interface DiagnosticsReport {
  collectedAt: string;
  agentVersion: string;
  os: { type: string; release: string; platform: string; arch: string; hostname: string; distro: string | null };
  cpu: { model: string; cores: number; loadAverage: number[] };
  memory: { totalBytes: number; freeBytes: number };
  disks: { mount: string; device: string; fsType: string; totalBytes: number; freeBytes: number }[];
  network: { name: string; mac: string | null; addresses: { family: string; address: string; cidr: string | null; internal: boolean }[] }[];
  processes: { source: 'proc' | 'ps' | 'none'; top: ProcessInfo[] };
  uptimeSeconds: number;
}

const TOP_PROCESSES = 50;
const MAX_DISKS = 64;
const MAX_INTERFACES = 64;

/** Collects every section; a section that fails is empty rather than failing the report. */
export async function collectReport(): Promise<DiagnosticsReport> {
  const [disks, processes] = await Promise.all([collectDisks(), collectProcesses()]);
  const cpuList = cpus();
  return {
    collectedAt: new Date().toISOString(),
    agentVersion: AGENT_VERSION,
    os: { type: type(), release: release(), platform: platform(), arch: arch(), hostname: hostname(), distro: platform() === 'linux' ? linuxDistro() : null },
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', cores: cpuList.length, loadAverage: loadavg().map((n) => Math.round(n * 100) / 100) },
    memory: { totalBytes: totalmem(), freeBytes: freemem() },
    disks,
    network: collectNetwork(),
    processes,
    uptimeSeconds: Math.round(uptime()),
  };
}

async function collectDisks(): Promise<DiagnosticsReport['disks']> {
  let mounts = [{ device: '', mount: parse(process.cwd()).root, fsType: '' }];
  if (platform() === 'linux') {
    try {
      mounts = parseMounts(await readFile('/proc/mounts', 'utf8'));
    } catch {
      // keep the root
    }
  }
  const disks = await Promise.all(mounts.slice(0, MAX_DISKS).map(async (entry) => {
    try {
      const stats = await statfs(entry.mount);
      return { ...entry, totalBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
    } catch {
      return null;
    }
  }));
  return disks.filter((disk): disk is NonNullable<typeof disk> => disk !== null);
}

function collectNetwork(): DiagnosticsReport['network'] {
  return Object.entries(networkInterfaces()).slice(0, MAX_INTERFACES).map(([name, addresses = []]) => ({
    name,
    mac: addresses.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac ?? null,
    addresses: addresses.map((a) => ({ family: String(a.family), address: a.address, cidr: a.cidr ?? null, internal: a.internal })),
  }));
}

async function collectProcesses(): Promise<DiagnosticsReport['processes']> {
  let source: DiagnosticsReport['processes']['source'] = 'none';
  let all: ProcessInfo[] = [];
  try {
    if (platform() === 'linux') {
      all = await readProcProcesses();
      source = 'proc';
    } else {
      const listed = await readPsProcesses();
      if (listed) [all, source] = [listed, 'ps'];
    }
  } catch {
    source = 'none';
  }
  return { source, top: all.sort((a, b) => b.rssBytes - a.rssBytes).slice(0, TOP_PROCESSES) };
}

/**
 * Shrinks a report until its JSON fits `maxBytes` (a message header is at most 64 KiB):
 * fewer processes first, then fewer addresses. Everything else is small.
 */
export function fitReport(report: DiagnosticsReport, maxBytes: number): DiagnosticsReport {
  const size = (r: DiagnosticsReport) => Buffer.byteLength(JSON.stringify(r));
  let fitted = report;
  while (size(fitted) > maxBytes && fitted.processes.top.length > 0) {
    fitted = { ...fitted, processes: { ...fitted.processes, top: fitted.processes.top.slice(0, Math.floor(fitted.processes.top.length / 2)) } };
  }
  while (size(fitted) > maxBytes && fitted.network.length > 0) fitted = { ...fitted, network: fitted.network.slice(0, Math.floor(fitted.network.length / 2)) };
  while (size(fitted) > maxBytes && fitted.disks.length > 0) fitted = { ...fitted, disks: fitted.disks.slice(0, Math.floor(fitted.disks.length / 2)) };
  return fitted;
}
