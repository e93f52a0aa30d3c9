import { inRanges, normaliseAddress, type Range } from '../../core/http/middleware/client-ip-ranges.js';
import type { AccountFacts, Verdict } from '../../core/policy/types.js';
import type { IpRestrictionSettings } from './settings.js';

/** Stable deny codes of this plugin (the UI translates `policy.<code>`). */
export const denyCodes = {
  login: 'ip_login_not_allowed',
  pinIssue: 'ip_pin_issue_not_allowed',
  foreignPin: 'company_network_foreign_pin',
  customerOutside: 'customer_outside_technician_ranges',
  agentIp: 'agent_ip_not_allowed',
  agentDomain: 'agent_domain_not_allowed',
  agentDns: 'agent_reverse_dns_failed',
} as const;

/** An account with the names of its technician groups beside their ids (settings may use either). */
export interface Member {
  account: AccountFacts;
  /** Group ids and group names, lower case. */
  groupKeys: Set<string>;
}

const isMember = (member: Member, group: string): boolean => member.groupKeys.has(group.trim().toLowerCase());
const listed = (ranges: readonly Range[]): string[] => ranges.map((r) => r.text);
const shown = (ip: string): string => normaliseAddress(ip) ?? ip;

/** Which login rule covers an account, and its ranges; null when none does (no restriction). */
export function loginRule(member: Member, s: IpRestrictionSettings['login']): { rule: string; ranges: Range[] } | null {
  const own = s.accounts[member.account.email.toLowerCase()];
  if (own) return { rule: `account ${member.account.email.toLowerCase()}`, ranges: own };
  const groups = Object.entries(s.groups).filter(([group]) => isMember(member, group));
  if (groups.length > 0) return { rule: `group ${groups.map(([g]) => g).join(', ')}`, ranges: groups.flatMap(([, r]) => r) };
  if (s.default && s.roles.includes(member.account.role)) return { rule: 'default', ranges: s.default };
  return null;
}

/**
 * (a) May this account log in (or issue a PIN) from this address? The account's own rule beats
 * its groups' rules, which beat the default; an address that cannot be parsed is outside.
 */
export function checkStaffAddress(ip: string, member: Member, s: IpRestrictionSettings['login'], what: 'login' | 'pinIssue'): Verdict {
  const rule = loginRule(member, s);
  if (!rule) return { outcome: 'continue', reason: 'No address rule applies to this account.' };
  const facts = { rule: rule.rule, allowed: listed(rule.ranges) };
  if (inRanges(ip, rule.ranges)) return { outcome: 'continue', reason: `${shown(ip)} is inside the allowed ranges (rule: ${rule.rule}).`, facts };
  const doing = what === 'login' ? 'Logging in' : 'Issuing PINs';
  return { outcome: 'deny', code: denyCodes[what], reason: `${doing} from ${shown(ip)} is not allowed for this account (rule: ${rule.rule}).`, facts };
}

/**
 * (b) The access-restricted package, when a customer redeems a PIN: inside the company's ranges
 * only PINs of the internal-IT groups count; a technician of a limited group may support only
 * customers in that group's ranges.
 */
export function checkRedeem(ip: string, technician: Member | null, s: IpRestrictionSettings['customers']): Verdict {
  if (s.companyRanges.length > 0 && inRanges(ip, s.companyRanges)) {
    const internal = technician !== null && s.internalGroups.some((g) => isMember(technician, g));
    if (!internal) {
      return { outcome: 'deny', code: denyCodes.foreignPin, reason: `Customers in the company network (${shown(ip)}) may redeem only PINs of the company's own technicians.`, facts: { companyNetwork: true } };
    }
  }
  if (!technician) return { outcome: 'continue', reason: 'Outside the company network, and no technician limits apply.' };
  const limits = Object.entries(s.technicianGroups).filter(([group]) => isMember(technician, group));
  if (limits.length === 0) return { outcome: 'continue', reason: 'The PIN\'s technician is not limited to customer ranges.' };
  const allowed = limits.flatMap(([, r]) => r);
  if (inRanges(ip, allowed)) return { outcome: 'continue', reason: `${shown(ip)} is inside the customer ranges of group ${limits.map(([g]) => g).join(', ')}.`, facts: { limitedBy: limits.map(([g]) => g) } };
  return {
    outcome: 'deny', code: denyCodes.customerOutside,
    reason: `This PIN's technician may support only customers in the ranges of group ${limits.map(([g]) => g).join(', ')}; ${shown(ip)} is outside.`,
    facts: { limitedBy: limits.map(([g]) => g) },
  };
}

/** (c) The address part of an agent's connection; the reverse-DNS part needs the network (see index.ts). */
export function checkAgentAddress(ip: string, s: IpRestrictionSettings['agents']): Verdict | null {
  if (!s.ranges || inRanges(ip, s.ranges)) return null;
  return { outcome: 'deny', code: denyCodes.agentIp, reason: `Agents may not connect from ${shown(ip)}.` };
}
