/** The LDAP plugin's tables, added to the appliance's Database type in core/db/schema.ts. */
export interface LdapTables {
  ldap_accounts: LdapAccountsTable;
}

/**
 * Which local account stands for which directory entry. Keyed by the entry's unique id
 * (entryUUID, objectGUID), so a renamed or moved entry keeps its account.
 */
export interface LdapAccountsTable {
  user_id: string;
  unique_id: string;
  dn: string;
  /** 1 when the sync (not an admin) disabled the account: only then may the directory re-enable it. */
  disabled_by_sync: number;
  synced_at: number;
}
