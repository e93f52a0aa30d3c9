import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { proxyAgentFor } from './proxy.js';
import { CertificateMismatch, tlsOptions, whenTrusted, type Trust } from './trust.js';

/** The broker answered with an error (`{error, message}` JSON). */
export class BrokerError extends Error {
  override name = 'BrokerError';
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

/** The broker could not be reached at all (DNS, refused, TLS, timeout, proxy). */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** A JSON response: status, body, and the server's clock (Date header) when it sent one. */
export interface JsonResponse {
  status: number;
  body: unknown;
  serverDate: number | null;
}

/** Posts JSON to the broker; the only HTTP the agent does. */
export interface JsonClient {
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<JsonResponse>;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const TIMEOUT_MS = 20_000;

/** A node:http(s) JSON client for one server, with the agent's certificate trust and proxy. */
export function createJsonClient(server: URL, trust: Trust, env: NodeJS.ProcessEnv): JsonClient {
  return {
    post: (path, body, headers = {}) => new Promise((resolve, reject) => {
      const url = new URL(path, server);
      const payload = Buffer.from(JSON.stringify(body ?? {}));
      const secure = url.protocol === 'https:';
      const agent = proxyAgentFor(url, env);
      const options: RequestOptions = {
        method: 'POST',
        // No keep-alive: every request gets a fresh connection whose certificate is checked.
        agent: agent ?? false,
        timeout: TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), accept: 'application/json', ...headers },
        ...(secure && tlsOptions(trust)),
      };
      const request = (secure ? httpsRequest : httpRequest)(url, options, (response) => {
        readJson(response).then(resolve, reject);
      });
      request.on('timeout', () => request.destroy(new NetworkError(`No answer from ${url.host} within ${TIMEOUT_MS / 1000} s.`)));
      request.on('error', (error) => reject(error instanceof NetworkError || error instanceof CertificateMismatch ? error : new NetworkError(describeNetworkError(error, url), error)));
      whenTrusted(request, secure ? trust : { caPem: null, fingerprint: null }, () => request.end(payload));
    }),
  };
}

function readJson(response: IncomingMessage): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) response.destroy(new NetworkError('The server\'s answer is too large.'));
      else chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          reject(new NetworkError(`The server answered ${response.statusCode} with something that is not JSON: is this a RescueBox appliance?`));
          return;
        }
      }
      const date = response.headers.date ? Date.parse(response.headers.date) : NaN;
      resolve({ status: response.statusCode ?? 0, body, serverDate: Number.isFinite(date) ? date : null });
    });
  });
}

/** A readable reason for a failed connection. */
export function describeNetworkError(error: Error, url: URL): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reasons: Record<string, string> = {
    ECONNREFUSED: `${url.host} refused the connection`,
    ENOTFOUND: `${url.hostname} was not found (DNS)`,
    EAI_AGAIN: `${url.hostname} could not be looked up (DNS)`,
    ETIMEDOUT: `${url.host} did not answer`,
    ECONNRESET: `the connection to ${url.host} was reset`,
    EHOSTUNREACH: `${url.host} is unreachable`,
    ENETUNREACH: 'the network is unreachable',
    DEPTH_ZERO_SELF_SIGNED_CERT: `${url.host} uses a self-signed certificate: pass --fingerprint (or --ca)`,
    SELF_SIGNED_CERT_IN_CHAIN: `${url.host} uses a certificate from an unknown CA: pass --ca`,
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: `${url.host} uses a certificate from an unknown CA: pass --ca`,
    ERR_TLS_CERT_ALTNAME_INVALID: `the certificate of ${url.host} is not valid for this name`,
    CERT_HAS_EXPIRED: `the certificate of ${url.host} has expired`,
  };
  return `Cannot reach ${url.origin}: ${reasons[code] ?? error.message}.`;
}

/** Turns a non-2xx response into a BrokerError. */
export function expectOk(response: JsonResponse): unknown {
  if (response.status >= 200 && response.status < 300) return response.body;
  const body = (response.body ?? {}) as { error?: unknown; message?: unknown };
  const { error: _error, message: _message, ...details } = body as Record<string, unknown>;
  throw new BrokerError(
    response.status,
    typeof body.error === 'string' ? body.error : `http_${response.status}`,
    typeof body.message === 'string' ? body.message : `The server answered ${response.status}.`,
    details,
  );
}
