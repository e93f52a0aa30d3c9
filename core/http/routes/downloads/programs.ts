import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { loadBranding } from '../../../branding/branding.js';
import { isSupportTarget, prepareProgram, programBuilt, supportTargets, type PreparedProgram, type SupportTarget } from '../../../downloads/support-program.js';
import type { AppEnv } from '../../env.js';
import { ApiError } from '../../errors.js';
import { defineRoute, type RouteSpec } from '../../route.js';

/** One program as the PIN page and the API describe it. */
export interface ProgramListing {
  target: SupportTarget;
  os: 'linux' | 'windows';
  arch: 'x64' | 'arm64';
  fileName: string;
  url: string;
  size: number;
  sha256: string;
  /** Ed25519 signature of the whole file, base64 (also raw at `signatureUrl`). */
  signature: string;
  signatureUrl: string;
  authenticode: boolean;
}

/** GET /api/v1/downloads: the appliance's public key and every built program. */
export interface DownloadsListing {
  publicKeyPem: string;
  programs: ProgramListing[];
}

async function prepared(c: Context<AppEnv>, sourceDir: string, target: SupportTarget): Promise<PreparedProgram> {
  const services = c.get('services');
  const { config } = services;
  const branding = await loadBranding(services.db);
  return prepareProgram(target, {
    sourceDir,
    cacheDir: join(config.dataDir, 'downloads'),
    defaults: {
      server: config.publicUrl ? new URL(config.publicUrl).origin : new URL(c.req.url).origin,
      fingerprint: services.tlsFingerprint,
      company: branding.companyName,
      publicKeyPem: services.signing.publicPem,
    },
    privateKey: services.signing.privateKey,
    codeSigning: config.codeSigningCert && config.codeSigningKey ? { certFile: config.codeSigningCert, keyFile: config.codeSigningKey } : null,
  });
}

function listing(program: PreparedProgram): ProgramListing {
  const { os, arch } = supportTargets[program.target];
  const url = `/downloads/support/${program.target}`;
  return { target: program.target, os, arch, fileName: program.fileName, url, size: program.size, sha256: program.sha256, signature: program.signature, signatureUrl: `${url}/signature`, authenticode: program.authenticode };
}

function targetParam(sourceDir: string | undefined, value: string | undefined): SupportTarget {
  if (!sourceDir || !value || !isSupportTarget(value) || !programBuilt(sourceDir, value)) throw new ApiError('not_found', 'No support program for this platform on this appliance.');
  return value;
}

/**
 * The single-file support programs (scripts/build-sea.mjs), each handed out signed and bound to
 * this appliance: its address, certificate pin, company name and Ed25519 signature appended.
 */
export function programRoutes(publicDir: string | undefined): RouteSpec[] {
  const sourceDir = publicDir ? join(publicDir, 'downloads', 'support') : undefined;
  const access = { public: true, reason: 'customers download the support program from the PIN page before they have any credential' } as const;
  return [
    defineRoute({
      method: 'get', path: '/api/v1/downloads', tag: 'downloads', summary: 'The support programs for each platform with their SHA-256 and Ed25519 signature, and the public key.',
      access, responses: { 200: 'DownloadsListing' },
      handler: async (c) => {
        const built = sourceDir ? (Object.keys(supportTargets) as SupportTarget[]).filter((target) => programBuilt(sourceDir, target)) : [];
        const programs = await Promise.all(built.map(async (target) => listing(await prepared(c, sourceDir!, target))));
        return c.json({ publicKeyPem: c.get('services').signing.publicPem, programs } satisfies DownloadsListing, 200, { 'Cache-Control': 'no-store' });
      },
    }),
    defineRoute({
      method: 'get', path: '/downloads/support/:target', tag: 'downloads', summary: 'The signed support program for one platform (linux-x64, linux-arm64, win-x64).',
      access, responses: { 200: 'executable', 404: 'not built for this platform' },
      handler: async (c, { params }) => {
        const program = await prepared(c, sourceDir!, targetParam(sourceDir, params.target));
        return c.body(Readable.toWeb(createReadStream(program.file)) as ReadableStream, 200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(program.size),
          'Content-Disposition': `attachment; filename="${program.fileName}"`,
          'X-Content-SHA256': program.sha256,
          'Cache-Control': 'no-store',
        });
      },
    }),
    defineRoute({
      method: 'get', path: '/downloads/support/:target/signature', tag: 'downloads', summary: 'The detached Ed25519 signature (64 raw bytes) of that program.',
      access, responses: { 200: 'signature', 404: 'not built for this platform' },
      handler: async (c, { params }) => {
        const program = await prepared(c, sourceDir!, targetParam(sourceDir, params.target));
        return c.body(new Uint8Array(Buffer.from(program.signature, 'base64')), 200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${program.fileName}.sig"`, 'Cache-Control': 'no-store' });
      },
    }),
  ];
}
