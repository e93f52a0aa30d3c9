import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

/**
 * Unattended access: enrolled devices (their Ed25519 public keys; the private keys never leave
 * them), deployment tokens (stored only as hashes), pending signed start requests, and the
 * device a support session was started on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('technician_groups.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('os', 'text', (c) => c.notNull())
    .addColumn('agent_version', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consent', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ci_id', 'text')
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('last_seen_at', 'bigint')
    .addColumn('last_request_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credential_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credential_window_start', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('devices_group').on('devices').column('group_id').execute();
  await db.schema
    .createTable('deployment_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('technician_groups.id').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('max_uses', 'integer', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('access_days', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createTable('unattended_starts')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('support_sessions').addColumn('device_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_sessions').dropColumn('device_id').execute();
  await db.schema.dropTable('unattended_starts').execute();
  await db.schema.dropTable('deployment_tokens').execute();
  await db.schema.dropTable('devices').execute();
}
