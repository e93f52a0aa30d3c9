// Types shared by the report and the per-OS readers (linux.ts, ps.ts), kept below all of them.

/** One running process, as reported. */
export interface ProcessInfo {
  pid: number;
  name: string;
  rssBytes: number;
  cpuSeconds: number;
}
