import type { Selectable } from 'kysely';

/** A channel link ("desktop shortcut"): starts support without a PIN, into a group's queue. */
export interface ChannelLinksTable {
  id: string;
  name: string;
  group_id: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** A session started from a channel link: its group, and its sealed session code until a technician picks it up. */
export interface ChannelSessionsTable {
  session_id: string;
  link_id: string;
  group_id: string;
  /** AES-GCM sealed session code (the handshake password), wiped when a technician picks the session up. */
  code_sealed: string | null;
  claimed_by: string | null;
  claimed_at: number | null;
}

/** Secrets a plugin generates once and keeps (company id, HMAC keys). */
export interface PluginSecretsTable {
  plugin_id: string;
  name: string;
  value: string;
  created_at: number;
}

/** The tables of the company-pin and domain-validation plugins, joined into Database. */
export interface ChannelTables {
  channel_links: ChannelLinksTable;
  channel_sessions: ChannelSessionsTable;
  plugin_secrets: PluginSecretsTable;
}

export type ChannelLinkRow = Selectable<ChannelLinksTable>;
