import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * What a program wrote to the file system, from an `strace -f` log: every path it created or
 * opened for writing, made a directory, renamed or linked to. Used to prove the support program
 * leaves nothing behind but the files the customer accepted (no temp files, no autostart entry,
 * no service unit, no settings).
 */

/** The system calls that can leave something on disk. */
export const TRACED_CALLS = 'trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat';

/** The strace command line in front of the program; the log goes to `logFile`. */
export function straceCommand(logFile: string): string[] {
  return ['/usr/bin/strace', '-f', '-qq', '-s', '4096', '-e', TRACED_CALLS, '-o', logFile];
}

const writeFlags = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/;

/** One successful call's written paths (the target of a rename or link), or none. */
function writtenPaths(call: string, args: string[], flags: string): string[] {
  switch (call) {
    case 'open': case 'openat': case 'openat2':
      return writeFlags.test(flags) ? [args[0]!] : [];
    case 'creat': case 'mkdir': case 'mkdirat':
      return [args[0]!];
    default: // rename*, link*, symlink*: the last path is the one that comes to exist
      return [args[args.length - 1]!];
  }
}

/**
 * Parses the log into absolute paths, in order, each once. `cwd` resolves relative paths (the
 * program's working directory; calls relative to another directory fd are taken as absolute
 * only when they are). Failed calls (`= -1 …`) wrote nothing and are skipped.
 */
export function writtenByTrace(log: string, cwd: string): string[] {
  const seen = new Set<string>();
  for (const line of log.split('\n')) {
    const match = /^(?:\[pid\s+)?\d+\]?\s+(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
    if (!match || Number(match[3]) < 0) continue;
    const [, call, rest] = match as unknown as [string, string, string];
    const args = [...rest.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    if (args.length === 0) continue;
    for (const path of writtenPaths(call, args, rest)) seen.add(isAbsolute(path) ? path : resolve(cwd, path));
  }
  return [...seen];
}

/** Reads and parses a trace log file. */
export function writtenByTraceFile(logFile: string, cwd: string): string[] {
  return writtenByTrace(readFileSync(logFile, 'utf8'), cwd);
}
