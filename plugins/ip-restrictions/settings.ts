import { z } from 'zod';
import { roles } from '../../core/auth/roles.js';
import { parseRange, type Range } from '../../core/http/middleware/client-ip-ranges.js';

/** One IP address or CIDR range, checked and compiled once when the settings are read. */
const range = z.string().max(100).transform((text, ctx): Range => {
  const parsed = parseRange(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const ranges = z.array(range).max(500);
const groupName = z.string().trim().min(1).max(100);
const domain = z.string().trim().toLowerCase().max(253).regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/, 'not a DNS domain name');
const dnsServer = z.string().max(60).refine((s) => {
  const host = s.replace(/^\[(.+)\](:\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  return typeof parseRange(host) !== 'string' && !host.includes('/');
}, 'a DNS server is an IP address, optionally with :port');

/** (a) Where staff may log in from (and issue PINs from). */
const login = z.object({
  /** Ranges for accounts of these roles that no account or group rule covers. */
  roles: z.array(z.enum(roles)).default(['technician']),
  /** Ranges for everyone else of `roles`; absent means no restriction for them. */
  default: ranges.optional(),
  /** Per account, by e-mail: the most specific rule, it replaces group and default ranges. */
  accounts: z.record(z.string().trim().toLowerCase().email().max(320), ranges).default({}),
  /** Per technician group (id or name): members may log in from any of their groups' ranges. */
  groups: z.record(groupName, ranges).default({}),
}).strict();

/** (b) The access-restricted package: which PINs customers may redeem, and whom technicians may support. */
const customers = z.object({
  /** The company's own networks: customers there may redeem only PINs of `internalGroups`. */
  companyRanges: ranges.default([]),
  /** The internal-IT technician groups (id or name) whose PINs count as this company's. */
  internalGroups: z.array(groupName).default([]),
  /** Per technician group: its members may support only customers in these ranges. */
  technicianGroups: z.record(groupName, ranges).default({}),
}).strict().refine((c) => c.companyRanges.length === 0 || c.internalGroups.length > 0, {
  message: 'customers.internalGroups: name the internal-IT groups whose PINs customers in companyRanges may redeem', path: ['internalGroups'],
});

/** (c) Where customers' agents may connect from. */
const agents = z.object({
  /** Ranges agents may connect from; absent means any address. */
  ranges: ranges.optional(),
  /** Reverse-DNS domains (forward-confirmed) agents must come from; empty means no check. */
  domains: z.array(domain).max(100).default([]),
  /** DNS servers for that check; empty means the system's resolver. */
  dnsServers: z.array(dnsServer).max(5).default([]),
  /** The reverse-DNS check's deadline; no answer in time is a refusal. */
  dnsTimeoutMs: z.number().int().min(100).max(2500).default(1500),
}).strict();

/** The settings of the ip-restrictions plugin. */
export const ipRestrictionSettings = z.object({
  login: login.default({ roles: ['technician'], accounts: {}, groups: {} }),
  customers: customers.default({ companyRanges: [], internalGroups: [], technicianGroups: {} }),
  agents: agents.default({ domains: [], dnsServers: [], dnsTimeoutMs: 1500 }),
}).strict();

/** The validated, compiled settings. */
export type IpRestrictionSettings = z.output<typeof ipRestrictionSettings>;
