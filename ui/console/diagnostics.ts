/**
 * Turns the agent's diagnostics report (untrusted JSON from the customer's computer) into a
 * view model with known types: missing or malformed fields become empty values, never errors.
 * The shape follows agent/system/report.ts.
 */

/** A disk (mount point) with its sizes in bytes. */
export interface DiskView {
  mount: string;
  device: string;
  fsType: string;
  totalBytes: number;
  freeBytes: number;
}

/** A network interface and its addresses. */
export interface InterfaceView {
  name: string;
  mac: string | null;
  addresses: { family: string; address: string; cidr: string | null; internal: boolean }[];
}

/** A process, as the agent reported it. */
export interface ProcessView {
  pid: number;
  name: string;
  rssBytes: number;
  cpuSeconds: number;
}

/** What a customer's browser page reported about itself (nothing in it is checked). */
export interface BrowserReportView {
  description: string;
  userAgent: string;
  languages: string[];
  timeZone: string;
  screen: { width: number; height: number; pixelRatio: number; colorDepth: number };
  deviceMemoryGiB: number | null;
  online: boolean;
}

/** Everything the diagnostics page shows. */
export interface DiagnosticsView {
  /** Who collected it: the agent on the computer, or a browser page (browser-reported). */
  source: 'agent' | 'browser';
  browser: BrowserReportView | null;
  collectedAt: string;
  agentVersion: string;
  os: { type: string; release: string; platform: string; arch: string; hostname: string; distro: string | null };
  cpu: { model: string; cores: number; loadAverage: number[] };
  memory: { totalBytes: number; freeBytes: number };
  disks: DiskView[];
  network: InterfaceView[];
  processes: ProcessView[];
  uptimeSeconds: number;
}

type Loose = Record<string, unknown>;

const obj = (v: unknown): Loose => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v.slice(0, 500) : fallback);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** Reads a report defensively. */
export function readReport(report: Record<string, unknown>): DiagnosticsView {
  const os = obj(report.os);
  const cpu = obj(report.cpu);
  const memory = obj(report.memory);
  const browser = obj(report.browser);
  const screen = obj(browser.screen);
  return {
    source: report.source === 'browser' ? 'browser' : 'agent',
    browser: report.source !== 'browser' ? null : {
      description: str(browser.description), userAgent: str(browser.userAgent), languages: arr(browser.languages).map((l) => str(l)).slice(0, 10),
      timeZone: str(browser.timeZone), screen: { width: num(screen.width), height: num(screen.height), pixelRatio: num(screen.pixelRatio), colorDepth: num(screen.colorDepth) },
      deviceMemoryGiB: typeof browser.deviceMemoryGiB === 'number' ? num(browser.deviceMemoryGiB) : null, online: browser.online === true,
    },
    collectedAt: str(report.collectedAt),
    agentVersion: str(report.agentVersion),
    os: {
      type: str(os.type), release: str(os.release), platform: str(os.platform), arch: str(os.arch), hostname: str(os.hostname),
      distro: typeof os.distro === 'string' ? os.distro.slice(0, 200) : null,
    },
    cpu: { model: str(cpu.model), cores: num(cpu.cores), loadAverage: arr(cpu.loadAverage).map(num).slice(0, 3) },
    memory: { totalBytes: num(memory.totalBytes), freeBytes: num(memory.freeBytes) },
    disks: arr(report.disks).map(obj).map((d) => ({
      mount: str(d.mount), device: str(d.device), fsType: str(d.fsType), totalBytes: num(d.totalBytes), freeBytes: num(d.freeBytes),
    })),
    network: arr(report.network).map(obj).map((n) => ({
      name: str(n.name),
      mac: typeof n.mac === 'string' ? n.mac.slice(0, 64) : null,
      addresses: arr(n.addresses).map(obj).map((a) => ({
        family: str(a.family), address: str(a.address), cidr: typeof a.cidr === 'string' ? a.cidr.slice(0, 100) : null, internal: a.internal === true,
      })),
    })),
    processes: arr(obj(report.processes).top).map(obj).map((p) => ({
      pid: num(p.pid), name: str(p.name), rssBytes: num(p.rssBytes), cpuSeconds: num(p.cpuSeconds),
    })),
    uptimeSeconds: num(report.uptimeSeconds),
  };
}

/** Bytes as gigabytes with one decimal (decimal GB, as disks are sold). */
export const gigabytes = (bytes: number): string => (bytes / 1e9).toFixed(1);

/** Bytes as megabytes without decimals. */
export const megabytes = (bytes: number): string => Math.round(bytes / 1e6).toString();

/** Seconds as days, hours and minutes. */
export function uptimeParts(seconds: number): { days: number; hours: number; minutes: number } {
  return { days: Math.floor(seconds / 86_400), hours: Math.floor((seconds % 86_400) / 3_600), minutes: Math.floor((seconds % 3_600) / 60) };
}
