import { execFile } from 'node:child_process';
import { createHash, sign, type KeyObject } from 'node:crypto';
import { existsSync, renameSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SIGNATURE_BYTES, TRAILER_MAGIC, signedBytes, trailerBody, type EmbeddedDefaults } from '../../protocol/signed-download.js';

const run = promisify(execFile);
/** Ed25519 in libuv's thread pool (crypto.sign with a callback), not on the event loop. */
const signAsync = promisify(sign);

/** The executables `npm run build` makes (scripts/build-sea.mjs), by target. */
export const supportTargets = {
  'linux-x64': { os: 'linux', arch: 'x64', source: 'rescuebox-support-linux-x64', suffix: '-linux-x64' },
  'linux-arm64': { os: 'linux', arch: 'arm64', source: 'rescuebox-support-linux-arm64', suffix: '-linux-arm64' },
  'win-x64': { os: 'windows', arch: 'x64', source: 'rescuebox-support-win-x64.exe', suffix: '.exe' },
} as const;

export type SupportTarget = keyof typeof supportTargets;

export const isSupportTarget = (value: string): value is SupportTarget => Object.hasOwn(supportTargets, value);

/** An Authenticode certificate and key (PEM files) for the Windows program. */
export interface CodeSigning {
  certFile: string;
  keyFile: string;
}

/** One prepared download: the signed file on disk and what the page and API publish about it. */
export interface PreparedProgram {
  target: SupportTarget;
  file: string;
  fileName: string;
  size: number;
  sha256: string;
  /** Ed25519 signature of the whole file (base64), for `openssl pkeyutl -verify -rawin`. */
  signature: string;
  authenticode: boolean;
}

/** What a program is prepared from: the built executable and this appliance's identity. */
export interface ProgramInputs {
  sourceDir: string;
  cacheDir: string;
  defaults: EmbeddedDefaults;
  privateKey: KeyObject;
  codeSigning: CodeSigning | null;
}

/** `RescueBox-Support-ACME.exe`: the company's name in ASCII letters, digits and dashes. */
export function programFileName(target: SupportTarget, company: string): string {
  const name = company.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `RescueBox-Support${name && name !== 'RescueBox' ? `-${name}` : ''}${supportTargets[target].suffix}`;
}

/** Whether the build made this target's executable. */
export const programBuilt = (sourceDir: string, target: SupportTarget) => existsSync(join(sourceDir, supportTargets[target].source));

const pending = new Map<string, Promise<PreparedProgram>>();

/**
 * The signed program for this target and these defaults: appended trailer (address, certificate
 * pin, company, public key) with its Ed25519 signature, then Authenticode for Windows when a
 * certificate is configured, then the detached signature of the result. Made once per inputs
 * and kept in cacheDir (a change of address, certificate, name or key makes a new one).
 */
export function prepareProgram(target: SupportTarget, inputs: ProgramInputs): Promise<PreparedProgram> {
  const source = join(inputs.sourceDir, supportTargets[target].source);
  const stat = statSync(source);
  const id = createHash('sha256').update(JSON.stringify([target, stat.size, stat.mtimeMs, inputs.defaults, inputs.codeSigning])).digest('hex').slice(0, 32);
  let job = pending.get(id);
  if (!job) {
    job = build(target, source, id, inputs);
    pending.set(id, job);
    job.catch(() => pending.delete(id));
  }
  return job;
}

async function build(target: SupportTarget, source: string, id: string, inputs: ProgramInputs): Promise<PreparedProgram> {
  const file = join(inputs.cacheDir, `${target}-${id}`);
  const metaFile = `${file}.json`;
  if (existsSync(metaFile) && existsSync(file)) return JSON.parse(await readFile(metaFile, 'utf8')) as PreparedProgram;
  await mkdir(inputs.cacheDir, { recursive: true, mode: 0o700 });
  // ~100 MiB per program: every step is asynchronous (file I/O, Ed25519 in the thread pool, the
  // hash in slices), so the server keeps answering while a first download is being prepared.
  const body = trailerBody(await readFile(source), inputs.defaults);
  const embedded = await signAsync(null, signedBytes(body), inputs.privateKey);
  if (embedded.length !== SIGNATURE_BYTES) throw new Error('the signing key is not Ed25519');
  const partial = `${file}.partial`;
  let bytes: Uint8Array = Buffer.concat([body, embedded, TRAILER_MAGIC]);
  await writeFile(partial, bytes);
  const authenticode = target === 'win-x64' && inputs.codeSigning !== null;
  if (authenticode) {
    await signAuthenticode(partial, inputs.codeSigning!);
    bytes = await readFile(partial);
  }
  const prepared: PreparedProgram = {
    target,
    file,
    fileName: programFileName(target, inputs.defaults.company),
    size: bytes.length,
    sha256: await sha256Sliced(bytes),
    signature: (await signAsync(null, bytes, inputs.privateKey)).toString('base64'),
    authenticode,
  };
  await rename(partial, file);
  await writeFile(metaFile, JSON.stringify(prepared));
  return prepared;
}

/** SHA-256 in 8 MiB slices, yielding to the event loop between them. */
async function sha256Sliced(bytes: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += 8 << 20) {
    hash.update(bytes.subarray(at, at + (8 << 20)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}

/** osslsigncode (Debian package) signs the PE in place with the configured certificate. */
async function signAuthenticode(file: string, signing: CodeSigning): Promise<void> {
  const out = `${file}.signed`;
  await run('osslsigncode', ['sign', '-certs', signing.certFile, '-key', signing.keyFile, '-h', 'sha256', '-n', 'RescueBox Support', '-in', file, '-out', out]);
  renameSync(out, file);
}
