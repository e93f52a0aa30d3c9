import type { z } from 'zod';
import type { DB } from '../../core/db/open.js';
import type { PluginHost } from '../../core/policy/host.js';
import { definePlugin, type PolicyPlugin } from '../../core/policy/plugin.js';
import type { AccountFacts, Verdict } from '../../core/policy/types.js';
import { confirmedHostnames } from './reverse-dns.js';
import { checkAgentAddress, checkRedeem, checkStaffAddress, denyCodes, type Member } from './rules.js';
import { ipRestrictionSettings, type IpRestrictionSettings } from './settings.js';

/** An account with its group ids and group names, so settings can name groups either way. */
export async function memberOf(db: DB, account: AccountFacts): Promise<Member> {
  const keys = new Set(account.groups.map((g) => g.toLowerCase()));
  if (account.groups.length > 0) {
    const rows = await db.selectFrom('technician_groups').select('name').where('id', 'in', account.groups).execute();
    for (const row of rows) keys.add(row.name.trim().toLowerCase());
  }
  return { account, groupKeys: keys };
}

/** (c) Agents: allowed ranges, then forward-confirmed reverse DNS in the allowed domains. */
async function checkAgent(ip: string, s: IpRestrictionSettings['agents']): Promise<Verdict> {
  const byAddress = checkAgentAddress(ip, s);
  if (byAddress) return byAddress;
  if (s.domains.length === 0) return { outcome: 'continue', reason: s.ranges ? `${ip} is inside the allowed agent ranges; no domains are set.` : 'No agent ranges or domains are set.' };
  const result = await confirmedHostnames(ip, s.domains, { servers: s.dnsServers, timeoutMs: s.dnsTimeoutMs });
  if (result.outcome === 'confirmed') return { outcome: 'continue', reason: `${ip} is ${result.hostname}, forward-confirmed in an allowed domain.`, facts: { hostname: result.hostname } };
  if (result.outcome === 'failed') {
    // Fail closed: an agent whose name cannot be checked is not accepted.
    return { outcome: 'deny', code: denyCodes.agentDns, reason: `The reverse-DNS check of ${ip} failed (${result.error}).` };
  }
  const names = result.hostnames.join(', ') || 'no name';
  return { outcome: 'deny', code: denyCodes.agentDomain, reason: `Agents must come from ${s.domains.join(', ')} (forward-confirmed reverse DNS); ${ip} has ${names}.`, facts: { hostnames: result.hostnames } };
}

/**
 * IP restrictions: where staff may log in and issue PINs from, which PINs customers in the
 * company network may redeem and whom technicians may support, and where agents may connect
 * from. Made from the host because group names are looked up in the database.
 */
export default function ipRestrictions(host: Pick<PluginHost, 'db'>): PolicyPlugin<IpRestrictionSettings> {
  return definePlugin<IpRestrictionSettings>({
    id: 'ip-restrictions',
    name: 'IP restrictions',
    description: 'Staff log in and issue PINs only from allowed IP ranges (per account, group or by default); customers in the company network redeem only internal PINs; technicians can be limited to customer ranges; agents only from allowed ranges and reverse-DNS domains.',
    settings: ipRestrictionSettings as unknown as z.ZodType<IpRestrictionSettings>,
    // Forward-confirmed reverse DNS may need two lookups within dnsTimeoutMs (≤ 2.5 s).
    timeoutMs: 4000,
    hooks: {
      technicianLogin: async (context, s) => {
        if (!context.actor) return { outcome: 'continue', reason: 'No account to check.' };
        return checkStaffAddress(context.ip, await memberOf(host.db, context.actor), s.login, 'login');
      },
      // A session cookie stolen and replayed from outside the ranges cannot issue PINs either.
      pinIssue: async (context, s) => checkStaffAddress(context.ip, await memberOf(host.db, context.technician), s.login, 'pinIssue'),
      pinRedeem: async (context, s) => {
        const verdict = checkRedeem(context.ip, context.technician && await memberOf(host.db, context.technician), s.customers);
        // An agent that redeems the PIN itself gets its relay ticket in the same answer, without
        // an agentConnect decision: the agent rules must hold here too.
        if (verdict.outcome !== 'continue' || context.channel !== 'agent') return verdict;
        const agent = await checkAgent(context.ip, s.agents);
        return agent.outcome === 'continue' ? { outcome: 'continue', reason: `${verdict.reason ?? ''} ${agent.reason ?? ''}`.trim(), facts: { ...verdict.facts, ...agent.facts } } : agent;
      },
      agentConnect: (context, s) => checkAgent(context.ip, s.agents),
    },
  });
}
