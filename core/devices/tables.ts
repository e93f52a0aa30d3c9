import type { Generated, Selectable } from 'kysely';

/** The tables of unattended access (migration 2026-12-07T1200-unattended-devices). */
export interface DeviceTables {
  devices: DevicesTable;
  deployment_tokens: DeploymentTokensTable;
  unattended_starts: UnattendedStartsTable;
}

/** An enrolled device: its public key, its technician group, the owner's consent, its state. */
export interface DevicesTable {
  id: string;
  group_id: string;
  name: string;
  os: string;
  agent_version: string;
  /** Raw Ed25519 public key, base64url (32 bytes). The private key never leaves the device. */
  public_key: string;
  /** active → revoked | expired; never back (a new enrolment makes a new device with a new key). */
  status: string;
  /** JSON: who agreed to unattended access, when and how (the owner's consent record). */
  consent: string;
  /** JSON: the device's own settings as it last reported them (askEveryStart, askSeconds). */
  settings: Generated<string>;
  ci_id: string | null;
  enrolled_at: number;
  expires_at: number | null;
  last_seen_at: number | null;
  /** Timestamp of the last signed request: each must be later (replays fail). */
  last_request_at: Generated<number>;
  credential_failures: Generated<number>;
  credential_window_start: Generated<number>;
  revoked_at: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/** A deployment token for mass enrolment, stored only as its SHA-256. */
export interface DeploymentTokensTable {
  id: string;
  token_hash: string;
  label: string;
  group_id: string;
  expires_at: number;
  max_uses: number;
  uses: Generated<number>;
  /** Days an enrolled device's unattended access lasts (null: until revoked). */
  access_days: number | null;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

/** A signed start request waiting for its device to fetch it (deleted once delivered). */
export interface UnattendedStartsTable {
  session_id: string;
  device_id: string;
  request: string;
  expires_at: number;
}

export type DeviceRow = Selectable<DevicesTable>;
export type DeploymentTokenRow = Selectable<DeploymentTokensTable>;
