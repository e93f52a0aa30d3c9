/**
 * The support program's signed trailer: what the appliance appends to a downloaded executable
 * and what the program checks at start. Layout at the end of the file (before an Authenticode
 * certificate table, which Windows signing appends after it):
 *
 *   [program][embedded JSON][u32 BE length of the JSON][64-byte Ed25519 signature][magic]
 *
 * The signature covers everything before it (program, JSON, length), read as Authenticode reads
 * a PE file: its checksum and certificate-table entry as zeros, so signing for Windows later
 * changes nothing that the Ed25519 signature covers. Only the format lives here; keys and
 * hashing stay with node:crypto in the appliance and the agent.
 */
export const TRAILER_MAGIC = new TextEncoder().encode('RBSIGv1\n');
export const SIGNATURE_BYTES = 64;

/** What the appliance bakes into the program it hands out. */
export interface EmbeddedDefaults {
  /** The appliance's address. */
  server: string;
  /** SHA-256 of its TLS certificate (hex), or null when it serves plain HTTP behind a proxy. */
  fingerprint: string | null;
  /** The company name for the program's prompts. */
  company: string;
  /** The appliance's Ed25519 public key (SPKI PEM) that signed this file. */
  publicKeyPem: string;
}

/** A trailer found in a file: the defaults, the signature and the exact bytes it covers. */
export interface FoundTrailer {
  defaults: EmbeddedDefaults;
  signature: Uint8Array;
  /** The signed message: the file up to the signature, PE checksum and certificate entry zeroed. */
  signed: Uint8Array;
}

/** Why a file has no valid trailer (the program prints these; stable codes for tests). */
export class TrailerError extends Error {
  override name = 'TrailerError';
  constructor(readonly code: 'no_trailer' | 'bad_trailer', message: string) {
    super(message);
  }
}

/** The bytes to sign for `program + JSON + length` (PE fields zeroed in a copy). */
export function signedBytes(body: Uint8Array): Uint8Array {
  const pe = peFields(body);
  if (!pe) return body;
  const copy = new Uint8Array(body);
  copy.fill(0, pe.checksum, pe.checksum + 4);
  copy.fill(0, pe.certEntry, pe.certEntry + 8);
  return copy;
}

/** `program + JSON + length`: the part the appliance signs before appending signature and magic. */
export function trailerBody(program: Uint8Array, defaults: EmbeddedDefaults): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(defaults));
  const body = new Uint8Array(program.length + json.length + 4);
  body.set(program, 0);
  body.set(json, program.length);
  new DataView(body.buffer).setUint32(program.length + json.length, json.length);
  return body;
}

/** Finds and parses the trailer; it ends at the file's end or just before a PE certificate table. */
export function findTrailer(file: Uint8Array): FoundTrailer {
  const pe = peFields(file);
  let end = file.length;
  if (pe && pe.certOffset > 0 && pe.certOffset <= file.length) {
    end = pe.certOffset;
    // Authenticode aligns its table to 8 bytes with zero padding.
    while (end > 0 && file[end - 1] === 0 && pe.certOffset - end < 8) end--;
  }
  const magicAt = end - TRAILER_MAGIC.length;
  if (magicAt < SIGNATURE_BYTES + 4 || !TRAILER_MAGIC.every((byte, i) => file[magicAt + i] === byte)) {
    throw new TrailerError('no_trailer', 'This program carries no RescueBox signature (it was not downloaded from a support appliance).');
  }
  const sigAt = magicAt - SIGNATURE_BYTES;
  const jsonLength = new DataView(file.buffer, file.byteOffset).getUint32(sigAt - 4);
  const jsonAt = sigAt - 4 - jsonLength;
  if (jsonAt < 0) throw new TrailerError('bad_trailer', 'This program\'s RescueBox signature is damaged.');
  let defaults: EmbeddedDefaults;
  try {
    defaults = parseDefaults(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(jsonAt, sigAt - 4))));
  } catch {
    throw new TrailerError('bad_trailer', 'This program\'s RescueBox signature is damaged.');
  }
  return { defaults, signature: file.slice(sigAt, magicAt), signed: signedBytes(file.subarray(0, sigAt)) };
}

function parseDefaults(raw: unknown): EmbeddedDefaults {
  const value = raw as Record<string, unknown>;
  if (!value || typeof value !== 'object') throw new Error('not an object');
  const { server, fingerprint, company, publicKeyPem } = value;
  if (typeof server !== 'string' || typeof company !== 'string' || typeof publicKeyPem !== 'string') throw new Error('missing field');
  if (fingerprint !== null && (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint))) throw new Error('bad fingerprint');
  return { server, fingerprint, company: company.slice(0, 120), publicKeyPem };
}

/** Offsets of a PE file's checksum and certificate-table entry, or null for other files. */
function peFields(file: Uint8Array): { checksum: number; certEntry: number; certOffset: number } | null {
  if (file.length < 0x40 || file[0] !== 0x4d || file[1] !== 0x5a) return null;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const pe = view.getUint32(0x3c, true);
  if (pe + 24 + 2 > file.length || view.getUint32(pe, true) !== 0x00004550) return null;
  const optional = pe + 24;
  const magic = view.getUint16(optional, true);
  const certEntry = optional + (magic === 0x20b ? 144 : magic === 0x10b ? 128 : NaN);
  if (Number.isNaN(certEntry) || certEntry + 8 > file.length) return null;
  return { checksum: optional + 64, certEntry, certOffset: view.getUint32(certEntry, true) };
}
