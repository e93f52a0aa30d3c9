import type { Role } from '../auth/roles.js';

/**
 * The closed set of hook points where the appliance asks its policy plugins. A plugin naming
 * any other hook is refused when it is loaded.
 */
export const hookNames = ['technicianLogin', 'pinIssue', 'pinRedeem', 'agentConnect', 'permissionRequest'] as const;
export type HookName = (typeof hookNames)[number];

/**
 * The answer of each hook when every plugin continues: the one place that says it, read by the
 * real decision and by "test a policy" alike. Every hook is asked only after core has vouched for
 * the caller (a checked password, a live session, a PIN that exists), so that check is the
 * implicit allow.
 */
export const whenAllContinue: Readonly<Record<HookName, 'allow' | 'deny'>> = {
  technicianLogin: 'allow', pinIssue: 'allow', pinRedeem: 'allow', agentConnect: 'allow', permissionRequest: 'allow',
};

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

/**
 * Set when a decision concerns an unattended session (nobody need be at the device): the
 * enrolled device, its technician group and its linked configuration item. Absent for
 * attended sessions.
 */
export interface UnattendedFacts {
  deviceId: string;
  deviceName: string;
  groupId: string;
  ciId: string | null;
}

/** The context of each hook. */
export interface HookContexts {
  technicianLogin: BaseContext & {
    email: string;
    /** 'password' (local), 'setup', or the id of the plugin that authenticated the login ('ldap'). */
    method: string;
    code: string | null;
  };
  pinIssue: BaseContext & { technician: AccountFacts };
  pinRedeem: BaseContext & {
    pin: string;
    technician: AccountFacts | null;
    /** The channel the PIN was locked to when it was issued (null: any channel). */
    pinChannel: string | null;
    /** Origin (or Referer origin) of the page the PIN was typed into, when a browser sent one. */
    origin: string | null;
    /** The signed form token of an externally hosted PIN form, when one came with the request. */
    formToken: string | null;
    /** The company id the PIN page or form presented with the PIN (company-pin plugin), when one came. */
    companyId?: string | null;
  };
  agentConnect: BaseContext & { agentVersion: string | null; hostname: string | null; unattended?: UnattendedFacts };
  permissionRequest: BaseContext & { technician: AccountFacts; permission: string; unattended?: UnattendedFacts };
}

/** A plugin's answer for one hook. */
export type Verdict =
  | { outcome: 'allow'; reason?: string; facts?: Record<string, unknown> }
  | { outcome: 'continue'; /** Why the plugin has no objection (shown in traces and "test a policy"). */ reason?: string; facts?: Record<string, unknown> }
  | { outcome: 'deny'; code: string; reason: string; facts?: Record<string, unknown> }
  | {
    outcome: 'challenge'; field: string; code: string; reason: string; facts?: Record<string, unknown>;
    /** Shown to the client with the challenge (e.g. an enrolment QR code); never secrets of others. */
    data?: Record<string, string>;
  };

/** What plugins may use besides their context: the time source and a logger. */
export interface PluginTools {
  now(): number;
  log(message: string, fields?: Record<string, unknown>): void;
  /**
   * True when the admin console's "test a policy" runs the chain: a plugin must then change
   * nothing (no used-code bookkeeping, no enrolment, no directory writes).
   */
  dryRun: boolean;
}

/** What an authenticating plugin (LDAP…) is asked to check: a login name and its password. */
export interface Credentials {
  /** What the user typed as login: an e-mail address or a directory user name. */
  login: string;
  password: string;
  ip: string;
}

/**
 * An authenticating plugin's answer. `unknown` means the plugin does not know this login (the
 * next authenticator is asked); `rejected` ends the attempt as a failed login.
 */
export type AuthenticationResult =
  | { outcome: 'authenticated'; userId: string }
  | { outcome: 'rejected'; reason: string; /** The local account the failed attempt was for, when the plugin knows it: its lockout counts the failure. */ userId?: string }
  | { outcome: 'unknown' };

/**
 * What an authenticating plugin knows about a login without its password, for "test a policy":
 * the account it would stand for (`id` empty when it would be created at first login), or the
 * refusal its authenticate would give for the account's state (disabled, no mapped group…).
 */
export type AccountLookup =
  | { outcome: 'found'; account: AccountFacts }
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'unknown' };

/** One hook handler: gets the context and the plugin's validated settings. */
export type HookHandler<H extends HookName, S> = (context: HookContexts[H], settings: S, tools: PluginTools) => Verdict | Promise<Verdict>;

/**
 * The part of a policy plugin the pipeline runs: its hooks and its authenticator. The whole
 * plugin (with its own routes) is `PolicyPlugin` in plugin.ts, above the HTTP layer; this part
 * stays here so the pipeline never imports the routes that import the pipeline's services.
 */
export interface PluginDecisions<S = unknown> {
  /** Stable kebab-case id used in config and audit entries. */
  id: string;
  hooks: { [H in HookName]?: HookHandler<H, S> };
  /** Longest a hook may take before it counts as a deny (fail closed); default 3000 ms. */
  timeoutMs?: number;
  /**
   * Checks credentials that the appliance cannot check itself (a directory password) and
   * returns the local account it stands for, creating or updating it as the plugin's source
   * says. Asked only while the plugin is switched on, for logins with no local password.
   */
  authenticate?: (credentials: Credentials, settings: S, tools: PluginTools) => Promise<AuthenticationResult>;
  /** Looks a login up as `authenticate` would, minus the password check, changing nothing ("test a policy"). */
  lookup?: (login: string, settings: S, tools: PluginTools) => Promise<AccountLookup>;
}

/** One line of a decision's trace: what one plugin said and how long it took. */
export interface TraceStep {
  plugin: string;
  outcome: Verdict['outcome'];
  code?: string;
  /** Why: every plugin's verdict says it, not only the deciding one. */
  reason: string;
  ms: number;
}

/** The pipeline's final answer, with every plugin's verdict. */
export interface Decision {
  outcome: 'allow' | 'deny' | 'challenge';
  code?: string;
  reason?: string;
  field?: string;
  /** A challenge's data for the client (see the challenge verdict). */
  data?: Record<string, string>;
  trace: TraceStep[];
  facts: Record<string, Record<string, unknown>>;
}
