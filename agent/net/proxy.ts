import type { Agent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';

/**
 * Proxy support for REST calls and the relay WebSocket alike: HTTPS_PROXY (https/wss targets),
 * HTTP_PROXY (http/ws targets), either in lower case too, and NO_PROXY. Every connection goes
 * through an HTTP CONNECT tunnel, so TLS and the certificate checks stay end to end.
 */

const agents = new Map<string, Agent>();

/** The proxy URL for a target, or null (none configured, or NO_PROXY matches). */
export function proxyUrlFor(target: URL, env: NodeJS.ProcessEnv): string | null {
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const proxy = secure
    ? env.HTTPS_PROXY || env.https_proxy || env.ALL_PROXY || env.all_proxy
    : env.HTTP_PROXY || env.http_proxy || env.ALL_PROXY || env.all_proxy;
  if (!proxy) return null;
  const port = Number(target.port) || (secure ? 443 : 80);
  if (bypassesProxy(target.hostname, port, env.NO_PROXY ?? env.no_proxy ?? '')) return null;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/**
 * Whether NO_PROXY exempts a host: `*`, an exact host, a domain suffix (`example.com` and
 * `.example.com` both cover `a.example.com`), optionally with `:port`.
 */
export function bypassesProxy(hostname: string, port: number, noProxy: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!match) continue;
    const entryHost = match[1]!.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (match[2] && Number(match[2]) !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/** The (shared) agent that tunnels to a target through the configured proxy, or undefined. */
export function proxyAgentFor(target: URL, env: NodeJS.ProcessEnv): Agent | undefined {
  const proxy = proxyUrlFor(target, env);
  if (!proxy) return undefined;
  let agent = agents.get(proxy);
  if (!agent) {
    agent = new HttpsProxyAgent(proxy, { keepAlive: false });
    agents.set(proxy, agent);
  }
  return agent;
}
