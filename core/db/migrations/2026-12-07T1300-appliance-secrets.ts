import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

/**
 * The appliance's own secrets (CSRF, PIN and plugin root keys, the Ed25519 signing key, the
 * generated TLS key), sealed under the master key instead of lying as files in the data dir;
 * and the signed checkpoints of the audit chain head.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('appliance_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_checkpoints').execute();
  await db.schema.dropTable('appliance_secrets').execute();
}
