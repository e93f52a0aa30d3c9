import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the single-file support program(s) where the appliance serves them from `publicDir`. */
export function buildSupportPrograms(publicDir: string, targets: string[] = ['linux-x64']): void {
  execFileSync(process.execPath, [join(repoRoot, 'scripts/build-sea.mjs'), join(publicDir, 'downloads', 'support'), ...targets], { stdio: 'pipe' });
}

/** GET over HTTPS trusting only `ca`: status, headers and the whole body. */
export function fetchBytes(url: string, ca: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Downloads the program as a customer does, into `dir`, executable; returns its path. */
export async function downloadProgram(baseUrl: string, ca: string, target: string, dir: string): Promise<{ path: string; fileName: string }> {
  const res = await fetchBytes(`${baseUrl}/downloads/support/${target}`, ca);
  if (res.status !== 200) throw new Error(`download ${target}: ${res.status} ${res.body.toString().slice(0, 200)}`);
  const fileName = /filename="([^"]+)"/.exec(String(res.headers['content-disposition']))?.[1] ?? target;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeFileSync(path, res.body);
  chmodSync(path, 0o755);
  return { path, fileName };
}

/**
 * A customer's environment without Node: PATH is one empty directory, HOME a fresh one, nothing
 * else inherited (add DISPLAY and the like through `extra`).
 */
export function customerEnv(work: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(work, 'empty-bin-'));
  const home = mkdtempSync(join(work, 'home-'));
  return { PATH: bin, HOME: home, LANG: 'C.UTF-8', ...extra };
}
