import { execFile } from 'node:child_process';
import type { ProcessInfo } from './types.js';

/** `[[dd-]hh:]mm:ss[.cc]` (ps TIME) → seconds. */
export function parsePsTime(value: string): number {
  const [days, rest] = value.includes('-') ? value.split('-') as [string, string] : ['0', value];
  const parts = rest.split(':').map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  return Number.isFinite(seconds) ? Number(days) * 86_400 + seconds : 0;
}

/** Parses `ps -axo pid=,rss=,time=,comm=` output (rss in KiB). */
export function parsePs(output: string): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!match) continue;
    processes.push({ pid: Number(match[1]), rssBytes: Number(match[2]) * 1024, cpuSeconds: parsePsTime(match[3]!), name: match[4]!.trim().split('/').pop()! });
  }
  return processes;
}

/** Processes via `ps` (macOS, BSD); null when there is no ps. */
export function readPsProcesses(): Promise<ProcessInfo[] | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-axo', 'pid=,rss=,time=,comm='], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      resolve(error ? null : parsePs(stdout));
    });
  });
}
