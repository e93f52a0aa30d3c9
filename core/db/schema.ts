import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { TotpTables } from '../../plugins/totp/tables.js';
import type { DeskTables } from '../desk/tables.js';
import type { ChannelTables } from '../../plugins/company-pin/tables.js';
import type { LdapTables } from '../../plugins/ldap/tables.js';
import type { DeviceTables } from '../devices/tables.js';
import type { OidcTables } from '../../plugins/oidc/tables.js';

/**
 * The tables of the appliance, as kysely sees them. Times are epoch milliseconds and flags are
 * 0/1 integers so the same rows fit SQLite and PostgreSQL; ids are random UUID strings.
 */
export interface Database extends DeskTables, TotpTables, ChannelTables, LdapTables, DeviceTables, OidcTables {
  users: UsersTable;
  technician_groups: TechnicianGroupsTable;
  group_permissions: GroupPermissionsTable;
  user_groups: UserGroupsTable;
  login_sessions: LoginSessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_forward_cursors: AuditForwardCursorsTable;
  plugin_settings: PluginSettingsTable;
  support_sessions: SupportSessionsTable;
  branding: BrandingTable;
  appliance_secrets: ApplianceSecretsTable;
  audit_checkpoints: AuditCheckpointsTable;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  role: string;
  enabled: number;
  password_hash: string | null;
  auth_source: string;
  language: string | null;
  failed_logins: Generated<number>;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  password_changed_at: number | null;
}

export interface TechnicianGroupsTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface GroupPermissionsTable {
  group_id: string;
  permission: string;
}

export interface UserGroupsTable {
  user_id: string;
  group_id: string;
}

export interface LoginSessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  action: string;
  outcome: string;
  actor_id: string | null;
  actor_email: string | null;
  ip: string | null;
  target_type: string | null;
  target_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Per audit forwarding target, the seq of the last entry handed over. */
export interface AuditForwardCursorsTable {
  target: string;
  last_seq: number;
}

/** One of the appliance's own secrets, sealed under the master key (see core/secrets/vault.ts). */
export interface ApplianceSecretsTable {
  name: string;
  sealed: string;
  created_at: number;
}

/** A signed statement "the audit chain had this head at this time" (Ed25519, see core/audit/checkpoints.ts). */
export interface AuditCheckpointsTable {
  id: Generated<number>;
  seq: number;
  hash: string;
  at: number;
  key_id: string;
  signature: string;
}

export interface PluginSettingsTable {
  plugin_id: string;
  enabled: number;
  position: number;
  settings: string;
  updated_at: number;
  updated_by: string | null;
}

export interface SupportSessionsTable {
  id: string;
  technician_id: string;
  /** HMAC of the PIN under a server key: PINs are never stored in clear. */
  pin_digest: string;
  /** waiting (PIN issued) → active (PIN redeemed) → ended. */
  status: string;
  channel: string | null;
  created_at: number;
  pin_expires_at: number;
  /** The channel the PIN is locked to ('pin-page', 'web-form', 'agent'; null: any). */
  pin_channel?: string | null;
  /** The technician group whose queue holds this session (started from a channel link), until someone picks it up. */
  queue_group_id?: string | null;
  /** The enrolled device an unattended session runs on (null: an attended session). */
  device_id?: string | null;
  redeemed_at: number | null;
  redeemed_ip: string | null;
  agent_token_hash: string | null;
  customer_info: string;
  ended_at: number | null;
  ended_by: string | null;
  end_reason: string | null;
}

export interface BrandingTable {
  id: number;
  settings: string;
  logo_type: string | null;
  logo_base64: string | null;
  updated_at: number;
}

export type SupportSessionRow = Selectable<SupportSessionsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type GroupRow = Selectable<TechnicianGroupsTable>;
export type LoginSessionRow = Selectable<LoginSessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type PluginSettingsRow = Selectable<PluginSettingsTable>;
