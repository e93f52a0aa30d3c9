/** The shapes the broker's /api/v1 answers with, as the UI sees them. */

/** Every account role; the order is the order of the role select. */
export const roles = ['technician', 'network_admin', 'account_admin', 'customer'] as const;
export type Role = (typeof roles)[number];

// Shapes the broker defines once are taken from it (type-only or plain constants: nothing of
// the server ends up in the browser bundle but the hook names).
/** The hook points an admin can test on the plugins page. */
export { hookNames, type HookName } from '../../core/policy/types.js';
/** An account. */
import type { User } from '../../core/accounts/users.js';
export type { User };
/** One line of the audit log. */
export type { AuditEntry } from '../../core/audit/query.js';

/** The logged-in account with its permissions and CSRF token (GET /me, login, setup). */
export interface Me {
  user: User;
  permissions: string[];
  csrfToken: string | null;
}

/** A technician group and the permissions it grants its members. */
export interface Group {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  /** User ids. */
  members: string[];
}

/** A personal API token (never its secret). */
export interface ApiToken {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

/** Filters of the audit view and its CSV export; empty fields are left out. */
export interface AuditFilters {
  action?: string;
  actor?: string;
  outcome?: string;
  from?: number;
  to?: number;
  limit?: number;
  before?: number;
}

/** The result of checking the audit log's hash chain. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  brokenAt?: number;
  problem?: string;
}

/** A policy plugin with its place in the chain and its settings. */
export interface Plugin {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  position: number;
  settings: unknown;
  settingsSchema: unknown;
  hooks: string[];
  /** 'config' until an admin changes the plugin in the console. */
  source: 'config' | 'console';
}

/** One plugin's verdict in a policy trace. */
export interface TraceStep {
  plugin: string;
  outcome: string;
  code?: string;
  reason?: string;
  ms: number;
}

/** What POST /policy/explain answers: the pipeline's decision and how it got there. */
export interface PolicyExplanation {
  decision: { outcome: string; code?: string; reason?: string };
  trace: TraceStep[];
}
