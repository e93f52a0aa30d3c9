import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('support_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('technician_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pin_digest', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('pin_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('redeemed_at', 'bigint')
    .addColumn('redeemed_ip', 'text')
    .addColumn('agent_token_hash', 'text')
    .addColumn('customer_info', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_by', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('support_sessions_pin').on('support_sessions').column('pin_digest').execute();
  await db.schema.createIndex('support_sessions_technician').on('support_sessions').column('technician_id').execute();
  await db.schema.createIndex('support_sessions_agent_token').on('support_sessions').column('agent_token_hash').execute();

  await db.schema
    .createTable('branding')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('logo_type', 'text')
    .addColumn('logo_base64', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('branding').execute();
  await db.schema.dropTable('support_sessions').execute();
}
