import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import IPCIDR from 'ip-cidr';
import type { AppEnv } from '../env.js';

/** Normalises an address so an IPv4-mapped IPv6 peer matches IPv4 ranges. */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Builds a matcher for a list of IPs and CIDR ranges (IPv4 and IPv6). */
export function ipMatcher(ranges: readonly string[]): (ip: string) => boolean {
  const cidrs = ranges.map((r) => {
    const range = r.includes('/') ? r : `${r}/${r.includes(':') ? 128 : 32}`;
    if (!IPCIDR.isValidCIDR(range)) throw new Error(`not an IP or CIDR range: ${r}`);
    return new IPCIDR(range);
  });
  return (ip) => {
    const address = normaliseIp(ip);
    return cidrs.some((cidr) => {
      try {
        return cidr.contains(address);
      } catch {
        return false;
      }
    });
  };
}

/**
 * Decides the client IP: the socket's address, or the last untrusted hop of X-Forwarded-For
 * when (and only when) the socket peer is a configured trusted proxy. Anyone else's header is
 * ignored, so a client cannot spoof its address.
 */
export function clientIp(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  const isTrusted = ipMatcher(trustedProxies);
  return async (c, next) => {
    let ip = 'unknown';
    try {
      ip = normaliseIp(getConnInfo(c).remote.address ?? 'unknown');
    } catch {
      // app.request() in tests has no socket; the test may set x-test-remote via env binding below
      ip = (c.env as { remoteAddress?: string } | undefined)?.remoteAddress ?? '127.0.0.1';
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
