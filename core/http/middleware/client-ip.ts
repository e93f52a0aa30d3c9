import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import { inRanges, normaliseAddress, parseRange, type Range } from './client-ip-ranges.js';

/** Normalises an address so an IPv4-mapped IPv6 peer matches IPv4 ranges; anything else stays as it is. */
export function normaliseIp(ip: string): string {
  return normaliseAddress(ip) ?? ip;
}

/** Builds a matcher for a list of IPs and CIDR ranges (IPv4 and IPv6); throws naming a bad entry. */
export function ipMatcher(ranges: readonly string[]): (ip: string) => boolean {
  const parsed: Range[] = ranges.map((text) => {
    const range = parseRange(text);
    if (typeof range === 'string') throw new Error(range);
    return range;
  });
  return (ip) => inRanges(ip, parsed);
}

const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/;
const IPV6_BRACKETED = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/;
const IPV6_BARE = /^[0-9A-Fa-f:.]+$/;

/**
 * Parses one X-Forwarded-For hop strictly: an IPv4 address with an optional port, a bare IPv6
 * address, or a bracketed IPv6 address with an optional port. Returns the normalised address,
 * or null for anything else (names, "unknown", empty hops, ports out of range).
 */
export function parseForwardedHop(hop: string): string | null {
  const text = hop.trim();
  const match = IPV4_WITH_PORT.exec(text) ?? IPV6_BRACKETED.exec(text);
  const [address, port] = match ? [match[1]!, match[2]] : [text, undefined];
  if (!match && (!IPV6_BARE.test(text) || !text.includes(':'))) return null;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return null;
  // An IPv4 address must stay IPv4 (ip-cidr reads 1.2.3 as 1.2.0.3) and each octet be ≤ 255.
  if (address.includes('.') && !address.includes(':') && !address.split('.').every((o) => Number(o) <= 255)) return null;
  return normaliseAddress(address);
}

/**
 * The client behind trusted proxies: walking X-Forwarded-For from the right, the first hop that
 * is not one of our proxies. Only the hops walked are parsed (what lies left of the client's hop
 * is the client's own claim and never used). Undefined when a walked hop is malformed; null when
 * every hop is a trusted proxy (the socket address then stands).
 */
export function forwardedClient(header: string, isTrusted: (ip: string) => boolean): string | null | undefined {
  const hops = header.split(',');
  while (hops.length > 0) {
    const hop = parseForwardedHop(hops.pop()!);
    if (hop === null) return undefined;
    if (!isTrusted(hop)) return hop;
  }
  return null;
}

/**
 * Decides the client IP: the socket's address, or the last untrusted hop of X-Forwarded-For
 * when (and only when) the socket peer is a configured trusted proxy. Anyone else's header is
 * ignored, so a client cannot spoof its address; a malformed header from a trusted proxy is
 * refused (400) and audited, never guessed at.
 */
export function clientIp(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  let isTrusted: (ip: string) => boolean;
  try {
    isTrusted = ipMatcher(trustedProxies);
  } catch (error) {
    throw new Error(`trustedProxies (TRUSTED_PROXIES): ${(error as Error).message}`);
  }
  return async (c, next) => {
    let ip = 'unknown';
    try {
      ip = normaliseIp(getConnInfo(c).remote.address ?? 'unknown');
    } catch {
      // app.request() in tests has no socket: the test passes the peer address as the env binding remoteAddress.
      ip = normaliseIp((c.env as { remoteAddress?: string } | undefined)?.remoteAddress ?? '127.0.0.1');
    }
    const header = c.req.header('x-forwarded-for');
    if (header !== undefined && isTrusted(ip)) {
      const client = forwardedClient(header, isTrusted);
      if (client === undefined) {
        await c.get('services').audit.record({ action: 'http.forwarded_for_invalid', outcome: 'denied', ip, details: { header: header.slice(0, 200), path: c.req.path } });
        throw new ApiError('invalid_request', 'The X-Forwarded-For header from the proxy is malformed.', { reason: 'invalid_forwarded_for' });
      }
      if (client !== null) ip = client;
    }
    c.set('clientIp', ip);
    await next();
  };
}
