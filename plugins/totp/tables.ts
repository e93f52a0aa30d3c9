import type { Generated } from 'kysely';

/** The TOTP plugin's tables (migration plugins/totp/migrations/2026-11-23T1300-totp.ts). */
export interface TotpTables {
  totp_enrolments: TotpEnrolmentsTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
}

/** One account's authenticator: pending until confirmed with a first code. */
export interface TotpEnrolmentsTable {
  user_id: string;
  /** The Base32 secret sealed with AES-256-GCM (see crypto.ts): never stored in clear. */
  secret_sealed: string;
  created_at: number;
  /** Null while the enrolment is pending (QR shown, no code entered yet). */
  confirmed_at: number | null;
  /** The last TOTP time step accepted: any code of this step or an earlier one is refused (replay). */
  last_step: number | null;
  /** Wrong codes in a row; at the limit, codes are refused until `blocked_until` (against guessing). */
  failed_count: Generated<number>;
  blocked_until: number | null;
}

/** One-time recovery codes; only a SHA-256 of each is stored. */
export interface TotpRecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}
