import { readdir, readFile } from 'node:fs/promises';
import type { ProcessInfo } from './types.js';

/** Linux's fixed USER_HZ: /proc reports CPU times in these ticks. */
const TICKS_PER_SECOND = 100;

/** File systems that hold data (not proc, sysfs, cgroup, tmpfs and the like). */
const realFsTypes = new Set([
  'ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'f2fs', 'jfs', 'reiserfs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk',
  'hfsplus', 'apfs', 'nfs', 'nfs4', 'cifs', 'smb3', 'overlay', '9p', 'virtiofs', 'bcachefs',
]);

/** One mounted file system. */
export interface MountEntry {
  device: string;
  mount: string;
  fsType: string;
}

/** Real file systems from /proc/mounts text, one entry per mount point (octal escapes decoded). */
export function parseMounts(text: string): MountEntry[] {
  const seen = new Set<string>();
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, fsType] = line.split(' ');
    if (!device || !mount || !fsType) continue;
    if (!realFsTypes.has(fsType) && !device.startsWith('/dev/')) continue;
    const decoded = mount.replace(/\\([0-7]{3})/g, (_all, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (seen.has(decoded)) continue;
    seen.add(decoded);
    mounts.push({ device, mount: decoded, fsType });
  }
  return mounts;
}

/**
 * One process from /proc/<pid>/stat and /proc/<pid>/status: the name is between the first
 * '(' and the last ')' (it may contain spaces and parentheses); CPU time is utime + stime.
 */
export function parseProcess(pid: number, stat: string, status: string): ProcessInfo | null {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  return {
    pid,
    name: stat.slice(open + 1, close),
    rssBytes: rssKb * 1024,
    cpuSeconds: Number.isFinite(ticks) ? Math.round((ticks / TICKS_PER_SECOND) * 100) / 100 : 0,
  };
}

/** Every process visible in /proc; processes that vanish while being read are skipped. */
export async function readProcProcesses(root = '/proc'): Promise<ProcessInfo[]> {
  const entries = await readdir(root);
  const processes = await Promise.all(entries.filter((name) => /^\d+$/.test(name)).map(async (name) => {
    try {
      const [stat, status] = await Promise.all([readFile(`${root}/${name}/stat`, 'utf8'), readFile(`${root}/${name}/status`, 'utf8')]);
      return parseProcess(Number(name), stat, status);
    } catch {
      return null;
    }
  }));
  return processes.filter((p): p is ProcessInfo => p !== null);
}
