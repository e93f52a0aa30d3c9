import type { Kysely } from 'kysely';

// Frozen in time: imports nothing from the app. The full-text index is not created here: it is
// dialect-specific (SQLite FTS5) and lives with its adapter in core/desk/search/.

const id = (t: any) => t.addColumn('id', 'text', (c: any) => c.primaryKey());

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('desk_settings').addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull()).addColumn('updated_at', 'bigint', (c) => c.notNull()).execute();

  await id(db.schema.createTable('desk_problems'))
    .addColumn('number', 'integer', (c: any) => c.notNull().unique())
    .addColumn('title', 'text', (c: any) => c.notNull()).addColumn('description', 'text', (c: any) => c.notNull())
    .addColumn('root_cause', 'text', (c: any) => c.notNull()).addColumn('workaround', 'text', (c: any) => c.notNull())
    .addColumn('known_error', 'integer', (c: any) => c.notNull()).addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();

  await id(db.schema.createTable('desk_incidents'))
    .addColumn('number', 'integer', (c: any) => c.notNull().unique())
    .addColumn('title', 'text', (c: any) => c.notNull()).addColumn('description', 'text', (c: any) => c.notNull())
    .addColumn('category', 'text', (c: any) => c.notNull()).addColumn('impact', 'text', (c: any) => c.notNull())
    .addColumn('urgency', 'text', (c: any) => c.notNull()).addColumn('priority', 'integer', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull()).addColumn('resolution', 'text').addColumn('source', 'text', (c: any) => c.notNull())
    .addColumn('requester_id', 'text', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('group_id', 'text', (c: any) => c.references('technician_groups.id').onDelete('set null'))
    .addColumn('assignee_id', 'text', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('problem_id', 'text', (c: any) => c.references('desk_problems.id').onDelete('set null'))
    .addColumn('sla_started_at', 'bigint', (c: any) => c.notNull())
    .addColumn('responded_at', 'bigint').addColumn('resolved_at', 'bigint').addColumn('closed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();
  for (const column of ['requester_id', 'group_id', 'assignee_id', 'status']) {
    await db.schema.createIndex(`desk_incidents_${column}`).on('desk_incidents').column(column).execute();
  }

  await id(db.schema.createTable('desk_comments'))
    .addColumn('incident_id', 'text', (c: any) => c.notNull().references('desk_incidents.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('author_name', 'text', (c: any) => c.notNull()).addColumn('author_staff', 'integer', (c: any) => c.notNull())
    .addColumn('body', 'text', (c: any) => c.notNull()).addColumn('visibility', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).execute();
  await db.schema.createIndex('desk_comments_incident').on('desk_comments').column('incident_id').execute();

  await id(db.schema.createTable('desk_attachments'))
    .addColumn('incident_id', 'text', (c: any) => c.notNull().references('desk_incidents.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c: any) => c.notNull()).addColumn('content_type', 'text', (c: any) => c.notNull())
    .addColumn('size', 'integer', (c: any) => c.notNull()).addColumn('sha256', 'text', (c: any) => c.notNull())
    .addColumn('storage_name', 'text', (c: any) => c.notNull()).addColumn('visibility', 'text', (c: any) => c.notNull())
    .addColumn('uploaded_by', 'text', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('uploader_name', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).execute();
  await db.schema.createIndex('desk_attachments_incident').on('desk_attachments').column('incident_id').execute();

  await id(db.schema.createTable('desk_history'))
    .addColumn('entity_type', 'text', (c: any) => c.notNull()).addColumn('entity_id', 'text', (c: any) => c.notNull())
    .addColumn('at', 'bigint', (c: any) => c.notNull()).addColumn('actor_id', 'text').addColumn('actor_name', 'text')
    .addColumn('field', 'text', (c: any) => c.notNull()).addColumn('old_value', 'text').addColumn('new_value', 'text')
    .addColumn('seq', 'integer', (c: any) => c.notNull()).execute();
  await db.schema.createIndex('desk_history_entity').on('desk_history').columns(['entity_type', 'entity_id', 'seq']).execute();

  await id(db.schema.createTable('desk_releases'))
    .addColumn('number', 'integer', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull()).addColumn('version', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull()).addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('planned_at', 'bigint')
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();

  await id(db.schema.createTable('desk_changes'))
    .addColumn('number', 'integer', (c: any) => c.notNull().unique())
    .addColumn('title', 'text', (c: any) => c.notNull()).addColumn('description', 'text', (c: any) => c.notNull())
    .addColumn('type', 'text', (c: any) => c.notNull()).addColumn('risk', 'text', (c: any) => c.notNull())
    .addColumn('planned_start', 'bigint').addColumn('planned_end', 'bigint').addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('release_id', 'text', (c: any) => c.references('desk_releases.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();

  await db.schema.createTable('desk_change_approvals')
    .addColumn('change_id', 'text', (c) => c.notNull().references('desk_changes.id').onDelete('cascade'))
    .addColumn('approver_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('decision', 'text', (c) => c.notNull()).addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'bigint').addPrimaryKeyConstraint('desk_change_approvals_pk', ['change_id', 'approver_id']).execute();

  await id(db.schema.createTable('desk_ci_types'))
    .addColumn('name', 'text', (c: any) => c.notNull().unique()).addColumn('attributes', 'text', (c: any) => c.notNull())
    .addColumn('builtin', 'integer', (c: any) => c.notNull())
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();

  await id(db.schema.createTable('desk_cis'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('type_id', 'text', (c: any) => c.notNull().references('desk_ci_types.id'))
    .addColumn('status', 'text', (c: any) => c.notNull()).addColumn('attributes', 'text', (c: any) => c.notNull())
    .addColumn('source', 'text', (c: any) => c.notNull()).addColumn('match_key', 'text')
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();
  await db.schema.createIndex('desk_cis_match_key').on('desk_cis').column('match_key').execute();

  await db.schema.createTable('desk_change_cis')
    .addColumn('change_id', 'text', (c) => c.notNull().references('desk_changes.id').onDelete('cascade'))
    .addColumn('ci_id', 'text', (c) => c.notNull().references('desk_cis.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('desk_change_cis_pk', ['change_id', 'ci_id']).execute();

  await id(db.schema.createTable('desk_ci_relations'))
    .addColumn('from_id', 'text', (c: any) => c.notNull().references('desk_cis.id').onDelete('cascade'))
    .addColumn('to_id', 'text', (c: any) => c.notNull().references('desk_cis.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c: any) => c.notNull()).addColumn('created_at', 'bigint', (c: any) => c.notNull())
    .addUniqueConstraint('desk_ci_relations_unique', ['from_id', 'to_id', 'kind']).execute();

  await id(db.schema.createTable('desk_links'))
    .addColumn('from_type', 'text', (c: any) => c.notNull()).addColumn('from_id', 'text', (c: any) => c.notNull())
    .addColumn('to_type', 'text', (c: any) => c.notNull()).addColumn('to_id', 'text', (c: any) => c.notNull())
    .addColumn('created_by', 'text').addColumn('created_at', 'bigint', (c: any) => c.notNull())
    .addUniqueConstraint('desk_links_unique', ['from_type', 'from_id', 'to_type', 'to_id']).execute();
  await db.schema.createIndex('desk_links_to').on('desk_links').columns(['to_type', 'to_id']).execute();

  await id(db.schema.createTable('desk_kb_categories'))
    .addColumn('name', 'text', (c: any) => c.notNull().unique()).addColumn('created_at', 'bigint', (c: any) => c.notNull()).execute();
  await id(db.schema.createTable('desk_kb_articles'))
    .addColumn('title', 'text', (c: any) => c.notNull()).addColumn('body_markdown', 'text', (c: any) => c.notNull())
    .addColumn('category_id', 'text', (c: any) => c.references('desk_kb_categories.id').onDelete('set null'))
    .addColumn('visibility', 'text', (c: any) => c.notNull())
    .addColumn('author_id', 'text', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c: any) => c.notNull()).addColumn('updated_at', 'bigint', (c: any) => c.notNull()).execute();
  await db.schema.createTable('desk_kb_votes')
    .addColumn('article_id', 'text', (c) => c.notNull().references('desk_kb_articles.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('helpful', 'integer', (c) => c.notNull()).addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('desk_kb_votes_pk', ['article_id', 'user_id']).execute();

  // Support sessions started for an incident: a link of our own, core tables stay untouched.
  await db.schema.createTable('desk_incident_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('support_sessions.id').onDelete('cascade'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('desk_incidents.id').onDelete('cascade'))
    .addColumn('created_by', 'text').addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('summarized_at', 'bigint').execute();

  // The built-in CI type that diagnostics from a support session fill in.
  const attributes = [['hostname', 'Hostname', 'string'], ['os', 'Operating system', 'string'], ['osRelease', 'OS release', 'string'], ['arch', 'Architecture', 'string'],
    ['cpuModel', 'CPU', 'string'], ['cpuCores', 'CPU cores', 'number'], ['memoryBytes', 'Memory (bytes)', 'number'], ['diskTotalBytes', 'Disk total (bytes)', 'number'],
    ['macAddresses', 'MAC addresses', 'string'], ['agentVersion', 'Agent version', 'string'], ['lastDiagnosticsAt', 'Last diagnostics', 'date']]
    .map(([key, label, type]) => ({ key, label, type, required: false }));
  await db.insertInto('desk_ci_types').values({ id: 'computer', name: 'computer', attributes: JSON.stringify(attributes), builtin: 1, created_at: 0, updated_at: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['desk_incident_sessions', 'desk_kb_votes', 'desk_kb_articles', 'desk_kb_categories', 'desk_links', 'desk_ci_relations', 'desk_change_cis',
    'desk_cis', 'desk_ci_types', 'desk_change_approvals', 'desk_changes', 'desk_releases', 'desk_history', 'desk_attachments', 'desk_comments', 'desk_incidents',
    'desk_problems', 'desk_settings']) {
    await db.schema.dropTable(table).execute();
  }
}
