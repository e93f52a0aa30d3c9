import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../env.js';
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

/**
 * Decides the client IP: the socket's address, or the last untrusted hop of X-Forwarded-For
 * when (and only when) the socket peer is a configured trusted proxy. Anyone else's header is
 * ignored, so a client cannot spoof its address.
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
    if (isTrusted(ip)) {
      const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => normaliseIp(h.trim())).filter(Boolean);
      // Walk from the nearest hop back, skipping our own proxies; the first other hop is the client.
      while (hops.length > 0) {
        const hop = hops.pop()!;
        if (!isTrusted(hop)) {
          ip = hop;
          break;
        }
      }
    }
    c.set('clientIp', ip);
    await next();
  };
}
