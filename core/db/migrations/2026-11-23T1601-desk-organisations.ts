import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // Customer organisations: members of one that shares tickets may read each other's tickets in the portal.
  await db.schema.createTable('desk_organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('share_tickets', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('desk_organisation_members')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('desk_organisations.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('desk_organisation_members_org').on('desk_organisation_members').column('organisation_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('desk_organisation_members').execute();
  await db.schema.dropTable('desk_organisations').execute();
}
