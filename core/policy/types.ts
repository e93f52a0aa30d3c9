import type { z } from 'zod';
import type { Role } from '../auth/roles.js';

/**
 * The closed set of hook points where the appliance asks its policy plugins. A plugin naming
 * any other hook is refused when it is loaded.
 */
export const hookNames = ['technicianLogin', 'pinIssue', 'pinRedeem', 'agentConnect', 'permissionRequest'] as const;
export type HookName = (typeof hookNames)[number];

/** The account a decision is about, as far as it is known. */
export interface AccountFacts {
  id: string;
  email: string;
  role: Role;
  groups: string[];
}

/** What every hook receives: who, from where, when, on which session and channel. */
export interface BaseContext {
  /** Client IP as decided by the trusted-proxy rules (never a raw header). */
  ip: string;
  /** Epoch milliseconds of the decision. */
  at: number;
  /** The acting account, when there is one. */
  actor: AccountFacts | null;
  /** Support session id, when the decision concerns one. */
  sessionId: string | null;
  /** How the request came in: 'api', 'console', 'pin-page', a channel link id… */
  channel: string | null;
  /** Facts added by earlier plugins in the chain, by plugin id. */
  facts: Record<string, Record<string, unknown>>;
}

/** The context of each hook. */
export interface HookContexts {
  technicianLogin: BaseContext & { email: string; method: 'password' | 'ldap' | 'setup'; code: string | null };
  pinIssue: BaseContext & { technician: AccountFacts };
  pinRedeem: BaseContext & { pin: string; technician: AccountFacts | null };
  agentConnect: BaseContext & { agentVersion: string | null; hostname: string | null };
  permissionRequest: BaseContext & { technician: AccountFacts; permission: string };
}

/** A plugin's answer for one hook. */
export type Verdict =
  | { outcome: 'allow'; facts?: Record<string, unknown> }
  | { outcome: 'continue'; facts?: Record<string, unknown> }
  | { outcome: 'deny'; code: string; reason: string; facts?: Record<string, unknown> }
  | { outcome: 'challenge'; field: string; code: string; reason: string; facts?: Record<string, unknown> };

/** What plugins may use besides their context: the time source and a logger. */
export interface PluginTools {
  now(): number;
  log(message: string, fields?: Record<string, unknown>): void;
}

/** One hook handler: gets the context and the plugin's validated settings. */
export type HookHandler<H extends HookName, S> = (context: HookContexts[H], settings: S, tools: PluginTools) => Verdict | Promise<Verdict>;

/**
 * The one interface every policy plugin satisfies. A plugin is a folder under plugins/ (or a
 * module loaded by path) whose default export is such an object.
 */
export interface PolicyPlugin<S = unknown> {
  /** Stable kebab-case id used in config and audit entries. */
  id: string;
  name: string;
  description: string;
  /** Schema of the plugin's settings; validated at start and on every change in the console. */
  settings: z.ZodType<S>;
  hooks: { [H in HookName]?: HookHandler<H, S> };
  /** Longest a hook may take before it counts as a deny (fail closed); default 3000 ms. */
  timeoutMs?: number;
}

/** Helper giving a plugin definition its types. */
export function definePlugin<S>(plugin: PolicyPlugin<S>): PolicyPlugin<S> {
  return plugin;
}

/** One line of a decision's trace: what one plugin said and how long it took. */
export interface TraceStep {
  plugin: string;
  outcome: Verdict['outcome'];
  code?: string;
  reason?: string;
  ms: number;
}

/** The pipeline's final answer, with every plugin's verdict. */
export interface Decision {
  outcome: 'allow' | 'deny' | 'challenge';
  code?: string;
  reason?: string;
  field?: string;
  trace: TraceStep[];
  facts: Record<string, Record<string, unknown>>;
}
