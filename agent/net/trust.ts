import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { checkServerIdentity, rootCertificates, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';

/**
 * Which server certificates the agent accepts. Three modes:
 * - default: the system's public CAs and the host name, as Node checks them;
 * - `--ca`: that CA (or certificate) in addition to the public ones;
 * - `--fingerprint`: exactly one certificate, by the SHA-256 of its DER — for appliances with a
 *   self-signed certificate. Chain validation cannot succeed for those, so the agent checks the
 *   certificate itself on the socket and writes nothing (no PIN, no token, no upgrade request)
 *   until it matched. That is stricter than CA validation, not a way around it.
 */
export interface Trust {
  caPem: string | null;
  fingerprint: string | null;
}

/** Raised when the server presents a certificate other than the pinned one. */
export class CertificateMismatch extends Error {
  override name = 'CertificateMismatch';
  readonly code = 'CERT_FINGERPRINT_MISMATCH';
}

/** Reads the --ca file (PEM) once. */
export function loadTrust(caFile: string | null, fingerprint: string | null): Trust {
  if (!caFile) return { caPem: null, fingerprint };
  const caPem = readFileSync(caFile, 'utf8');
  if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${caFile} holds no PEM certificate.`);
  return { caPem, fingerprint };
}

/** SHA-256 of a certificate's DER as 64 lowercase hex digits. */
export function certificateFingerprint(cert: Pick<PeerCertificate, 'raw'>): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** TLS options for node:https requests and ws connections under this trust. */
export function tlsOptions(trust: Trust): ConnectionOptions {
  if (trust.fingerprint) {
    const pinned = trust.fingerprint;
    return {
      // Chain checks are replaced by the exact-certificate check in whenTrusted()/verifyPeer().
      rejectUnauthorized: false,
      checkServerIdentity: (_host, cert) => (certificateFingerprint(cert) === pinned ? undefined : mismatch(certificateFingerprint(cert))),
    };
  }
  if (trust.caPem) return { ca: [...rootCertificates, trust.caPem], rejectUnauthorized: true, checkServerIdentity };
  return { rejectUnauthorized: true };
}

/** Checks the pinned fingerprint on a connected TLS socket; null when acceptable. */
export function verifyPeer(socket: TLSSocket, trust: Trust): Error | null {
  if (!trust.fingerprint) return null;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.raw) return new CertificateMismatch('The server presented no certificate.');
  const actual = certificateFingerprint(cert);
  return actual === trust.fingerprint ? null : mismatch(actual);
}

function mismatch(actual: string): CertificateMismatch {
  return new CertificateMismatch(`The server's certificate (SHA-256 ${actual}) is not the expected one. Someone may be intercepting the connection; check the address and fingerprint with your technician.`);
}

/**
 * Calls `go` (which ends the request, i.e. writes it) only once the socket is known to be the
 * right server; with a pinned fingerprint that means after the TLS handshake and the check.
 * Otherwise the request is destroyed with the mismatch error and nothing was sent.
 */
export function whenTrusted(request: ClientRequest, trust: Trust, go: () => void): void {
  if (!trust.fingerprint) {
    go();
    return;
  }
  request.once('socket', (socket) => {
    const tlsSocket = socket as TLSSocket;
    const check = (): void => {
      const error = typeof tlsSocket.getPeerCertificate === 'function' ? verifyPeer(tlsSocket, trust) : new CertificateMismatch('Not a TLS connection.');
      if (error) request.destroy(error);
      else go();
    };
    const handshakeDone = typeof tlsSocket.getPeerCertificate === 'function' && Boolean(tlsSocket.getPeerCertificate()?.raw);
    if (handshakeDone) check();
    else tlsSocket.once('secureConnect', check);
  });
}
