import type { Kysely } from 'kysely';

// Frozen in time: this file must never import from the app, so it keeps working as the app changes.

/** The OIDC plugin's tables: account links, started logins, logins waiting for a challenge, sessions by provider. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('oidc_links')
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addPrimaryKeyConstraint('oidc_links_pk', ['provider_id', 'subject'])
    .execute();
  await db.schema.createIndex('oidc_links_user').on('oidc_links').column('user_id').execute();
  await db.schema.createTable('oidc_transactions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('oidc_pending')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('id_token', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('oidc_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('login_sessions.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('id_token', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['oidc_sessions', 'oidc_pending', 'oidc_transactions', 'oidc_links']) await db.schema.dropTable(table).execute();
}
