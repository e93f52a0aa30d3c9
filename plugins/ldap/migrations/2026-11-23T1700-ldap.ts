import type { Kysely } from 'kysely';

// Frozen in time: this file must never import from the app, so it keeps working as the app changes.

/** The link between local accounts and directory entries (plugins/ldap). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ldap_accounts')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('unique_id', 'text', (c) => c.notNull().unique())
    .addColumn('dn', 'text', (c) => c.notNull())
    .addColumn('disabled_by_sync', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ldap_accounts').execute();
}
