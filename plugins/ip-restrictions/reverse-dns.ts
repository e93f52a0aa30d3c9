import { lookup as systemLookup, lookupService, Resolver } from 'node:dns/promises';
import { normaliseAddress } from '../../core/http/middleware/client-ip-ranges.js';

/** The result of a forward-confirmed reverse DNS check. */
export type ReverseDnsResult =
  | { outcome: 'confirmed'; hostname: string }
  | { outcome: 'mismatch'; hostnames: string[] }
  | { outcome: 'failed'; error: string };

/** Where names are looked up: the system's resolver (with /etc/hosts), or given DNS servers. */
export interface DnsSource {
  /** DNS servers as `ip` or `ip:port`; empty means the system's resolver. */
  servers: readonly string[];
  timeoutMs: number;
}

/** Whether a host name is one of the domains or below one of them (case and trailing dot ignored). */
export function inDomains(hostname: string, domains: readonly string[]): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => {
    const domain = d.toLowerCase().replace(/\.$/, '');
    return name === domain || name.endsWith(`.${domain}`);
  });
}

interface Lookups {
  reverse(ip: string): Promise<string[]>;
  forward(hostname: string): Promise<string[]>;
  /** Drops queries still running after the deadline. */
  cancel(): void;
}

function lookupsFor(source: DnsSource): Lookups {
  if (source.servers.length === 0) {
    // getnameinfo/getaddrinfo: the same answers (incl. /etc/hosts) the rest of the machine sees.
    return {
      reverse: async (ip) => [(await lookupService(ip, 0)).hostname],
      forward: async (hostname) => (await systemLookup(hostname, { all: true })).map((a) => a.address),
      cancel: () => {},
    };
  }
  const resolver = new Resolver({ timeout: source.timeoutMs, tries: 1 });
  resolver.setServers([...source.servers]);
  return {
    reverse: (ip) => resolver.reverse(ip),
    forward: async (hostname) => {
      const settled = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
      return settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    },
    cancel: () => resolver.cancel(),
  };
}

/**
 * Forward-confirmed reverse DNS: the address's PTR names are looked up, and a name counts only
 * if it resolves back to the same address (anyone can put any name in the PTR record of their
 * own addresses). The whole check has one deadline; running out of time is a failure, so the
 * caller fails closed.
 */
export async function confirmedHostnames(ip: string, domains: readonly string[], source: DnsSource): Promise<ReverseDnsResult> {
  const address = normaliseAddress(ip);
  if (!address) return { outcome: 'failed', error: `not an IP address: ${ip}` };
  let lookups: Lookups;
  try {
    lookups = lookupsFor(source);
  } catch (error) {
    return { outcome: 'failed', error: (error as Error).message };
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ReverseDnsResult>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'failed', error: `no answer within ${source.timeoutMs} ms` }), source.timeoutMs);
  });
  const check = async (): Promise<ReverseDnsResult> => {
    const names = await lookups.reverse(address);
    // A name outside the allowed domains is not worth a forward lookup: it cannot be accepted anyway.
    for (const name of names.filter((n) => inDomains(n, domains))) {
      const addresses = await lookups.forward(name).catch(() => [] as string[]);
      if (addresses.some((a) => normaliseAddress(a) === address)) return { outcome: 'confirmed', hostname: name.toLowerCase().replace(/\.$/, '') };
    }
    return { outcome: 'mismatch', hostnames: names };
  };
  try {
    return await Promise.race([check().catch((error: Error) => ({ outcome: 'failed', error: (error as NodeJS.ErrnoException).code ?? error.message }) as ReverseDnsResult), deadline]);
  } finally {
    clearTimeout(timer);
    lookups.cancel();
  }
}
