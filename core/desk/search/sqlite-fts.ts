import { sql } from 'kysely';
import type { DB } from '../../db/open.js';
import { queryWords, type DocumentKind, type FullTextIndex } from './full-text.js';

/**
 * The one file with SQLite-only SQL for the desk: an FTS5 table holding incidents and KB
 * articles. A PostgreSQL adapter would implement FullTextIndex with tsvector instead. The
 * table is created on first use (not in a migration) because its DDL is dialect-specific;
 * when it is created, existing rows are indexed once.
 */
const ready = new WeakMap<DB, Promise<void>>();

async function createTable(db: DB): Promise<void> {
  const exists = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'desk_fts'`.execute(db);
  if (exists.rows.length > 0) return;
  await sql`CREATE VIRTUAL TABLE desk_fts USING fts5(kind UNINDEXED, doc_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql`INSERT INTO desk_fts (kind, doc_id, title, body)
    SELECT 'incident', i.id, 'INC-' || i.number || ' ' || i.title,
      i.description || ' ' || coalesce(i.resolution, '') || ' ' || coalesce((SELECT group_concat(c.body, ' ') FROM desk_comments c WHERE c.incident_id = i.id), '')
    FROM desk_incidents i`.execute(db);
  await sql`INSERT INTO desk_fts (kind, doc_id, title, body) SELECT 'kb_article', id, title, body_markdown FROM desk_kb_articles`.execute(db);
}

function ensure(db: DB): Promise<void> {
  let promise = ready.get(db);
  if (!promise) {
    promise = createTable(db);
    ready.set(db, promise);
  }
  return promise;
}

/** An FTS5 phrase per word, each as a prefix; quotes doubled so nothing is FTS syntax. */
function matchExpression(query: string): string | null {
  const words = queryWords(query);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' AND ');
}

/** The SQLite FTS5 implementation of the desk's full-text index. */
export const sqliteFullText: FullTextIndex = {
  async upsert(db, kind, id, title, body) {
    await ensure(db);
    await sql`DELETE FROM desk_fts WHERE kind = ${kind} AND doc_id = ${id}`.execute(db);
    await sql`INSERT INTO desk_fts (kind, doc_id, title, body) VALUES (${kind}, ${id}, ${title}, ${body})`.execute(db);
  },
  async remove(db, kind, id) {
    await ensure(db);
    await sql`DELETE FROM desk_fts WHERE kind = ${kind} AND doc_id = ${id}`.execute(db);
  },
  async search(db, kind: DocumentKind, query, limit) {
    await ensure(db);
    const match = matchExpression(query);
    if (!match) return [];
    const result = await sql<{ doc_id: string }>`SELECT doc_id FROM desk_fts WHERE desk_fts MATCH ${match} AND kind = ${kind}
      ORDER BY bm25(desk_fts, 0, 0, 5.0, 1.0) LIMIT ${limit}`.execute(db);
    return result.rows.map((r) => r.doc_id);
  },
};
