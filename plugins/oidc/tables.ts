/** The OIDC plugin's tables, added to the appliance's Database type in core/db/schema.ts. */
export interface OidcTables {
  oidc_links: OidcLinksTable;
  oidc_transactions: OidcTransactionsTable;
  oidc_pending: OidcPendingTable;
  oidc_sessions: OidcSessionsTable;
}

/** Which local account a person at a provider is: keyed by provider and subject, never by e-mail. */
export interface OidcLinksTable {
  provider_id: string;
  subject: string;
  user_id: string;
  email: string;
  created_at: number;
  last_login_at: number | null;
}

/** A started login (state, nonce, PKCE verifier), found by the hash of its browser cookie; used once. */
export interface OidcTransactionsTable {
  id_hash: string;
  provider_id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  expires_at: number;
}

/** A login the provider vouched for that still has to pass a challenge (a TOTP code); used once. */
export interface OidcPendingTable {
  id_hash: string;
  user_id: string;
  provider_id: string;
  /** The ID token (sealed), kept for RP-initiated logout of the session this becomes. */
  id_token: string;
  attempts: number;
  expires_at: number;
}

/** The provider and ID token (sealed) behind a login session, for RP-initiated logout. */
export interface OidcSessionsTable {
  session_id: string;
  provider_id: string;
  id_token: string;
}
