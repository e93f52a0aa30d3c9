import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

/** Audit forwarding: per target (syslog, JSON lines) the seq of the last entry delivered. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_forward_cursors')
    .addColumn('target', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_forward_cursors').execute();
}
