import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // The resolution clock stops while an incident waits on the customer.
  await db.schema.alterTable('desk_incidents').addColumn('sla_paused_ms', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('desk_incidents').addColumn('sla_paused_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('desk_incidents').dropColumn('sla_paused_at').execute();
  await db.schema.alterTable('desk_incidents').dropColumn('sla_paused_ms').execute();
}
