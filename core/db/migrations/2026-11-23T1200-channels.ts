import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

/**
 * Channels (company-pin and domain-validation plugins): a PIN's channel lock, sessions waiting
 * in a technician group's queue (started from a channel link, no PIN), the channel links, and
 * the plugins' own secrets (company id, signing keys).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_sessions').addColumn('pin_channel', 'text').execute();
  await db.schema.alterTable('support_sessions').addColumn('queue_group_id', 'text').execute();
  await db.schema.createIndex('support_sessions_queue').on('support_sessions').column('queue_group_id').execute();

  await db.schema
    .createTable('channel_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('technician_groups.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'text')
    .execute();

  await db.schema
    .createTable('channel_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('support_sessions.id').onDelete('cascade'))
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('code_sealed', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'bigint')
    .execute();

  await db.schema
    .createTable('plugin_secrets')
    .addColumn('plugin_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('plugin_secrets_pk', ['plugin_id', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plugin_secrets').execute();
  await db.schema.dropTable('channel_sessions').execute();
  await db.schema.dropTable('channel_links').execute();
  await db.schema.dropIndex('support_sessions_queue').execute();
  await db.schema.alterTable('support_sessions').dropColumn('queue_group_id').execute();
  await db.schema.alterTable('support_sessions').dropColumn('pin_channel').execute();
}
