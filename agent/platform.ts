import { readFileSync } from 'node:fs';
import { platform, release, type } from 'node:os';

/** The agent's version, reported to the broker in the hello event. */
export const AGENT_VERSION = '0.1.0';

const osNames: Record<string, string> = { win32: 'Windows', darwin: 'macOS', linux: 'Linux', freebsd: 'FreeBSD', openbsd: 'OpenBSD' };

/** A readable OS name: Windows, macOS, Linux, … */
export function osName(name: NodeJS.Platform = platform()): string {
  return osNames[name] ?? name;
}

/** PRETTY_NAME (or NAME VERSION) from /etc/os-release, or null off Linux or when missing. */
export function linuxDistro(readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): string | null {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    let text: string;
    try {
      text = readFile(file);
    } catch {
      continue;
    }
    const fields = Object.fromEntries(
      text.split('\n').map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim())).filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2')]),
    );
    const pretty = fields.PRETTY_NAME || [fields.NAME, fields.VERSION].filter(Boolean).join(' ');
    if (pretty) return pretty;
  }
  return null;
}

/** One line describing the OS for the broker: "Debian GNU/Linux 12 (bookworm) (Linux 6.1.0)". */
export function describeOs(): string {
  const distro = platform() === 'linux' ? linuxDistro() : null;
  return `${distro ? `${distro} (` : ''}${type()} ${release()}${distro ? ')' : ''}`.slice(0, 255);
}
