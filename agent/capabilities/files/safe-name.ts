import { constants } from 'node:fs';
import { copyFile, link, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';

const MAX_NAME_BYTES = 200;
const reservedOnWindows = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name that is safe to create in the download directory, whatever the technician sent:
 * the last path segment only (either slash), no control or reserved characters, no leading
 * dots (no hidden files, no `..`), no Windows device names, at most 200 bytes.
 */
export function safeFileName(name: string): string {
  const segment = name.split(/[/\\]/).pop() ?? '';
  let clean = trimEdges(segment.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/[<>:"|?*]/g, '_'));
  // Cutting to length can expose a trailing dot or space again (found by fuzzing: "…CON.." cut
  // to "…CON.."), and trimming can leave a device name: repeat until nothing changes. A "_"
  // prefix is never cut off, so this settles within three rounds.
  for (;;) {
    const next = trimEdges(truncateBytes(reservedOnWindows.test(clean) ? `_${clean}` : clean, MAX_NAME_BYTES));
    if (next === clean) break;
    clean = next;
  }
  return clean || 'file';
}

/** Without leading and trailing dots and white space. */
function trimEdges(name: string): string {
  return name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
}

/** Cuts a name to `max` UTF-8 bytes, keeping its extension when it is short. */
function truncateBytes(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  const ext = extname(name);
  const keep = Buffer.byteLength(ext) <= 20 ? ext : '';
  let stem = name.slice(0, name.length - keep.length);
  while (Buffer.byteLength(stem + keep) > max) stem = [...stem].slice(0, -1).join('');
  return stem + keep;
}

/** `name`, then `name (1).ext`, `name (2).ext`, … */
export function candidateName(name: string, attempt: number): string {
  if (attempt === 0) return name;
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  return `${stem} (${attempt})${ext && ext !== name ? ext : ''}`;
}

const cannotLink = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Moves a finished temp file to a unique name in `dir` without ever overwriting: a hard link
 * (or, where links are not supported, an exclusive copy) fails if the name exists, and the
 * next candidate is tried. Returns the final path.
 */
export async function placeUnique(tempPath: string, dir: string, name: string): Promise<string> {
  const safe = safeFileName(name);
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const target = join(dir, candidateName(safe, attempt));
    try {
      await link(tempPath, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') continue;
      if (!cannotLink.has(code)) throw error;
      try {
        await copyFile(tempPath, target, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw copyError;
      }
    }
    await unlink(tempPath);
    return target;
  }
  throw new Error(`No free file name for ${safe} in ${dir}.`);
}
