import type { DB } from '../../db/open.js';

/** Kinds of documents in the desk's full-text index. */
export type DocumentKind = 'incident' | 'kb_article';

/** The desk's full-text index: a dialect adapter implements it (SQLite FTS5 today). */
export interface FullTextIndex {
  /** Puts a document in the index, replacing an earlier version. */
  upsert(db: DB, kind: DocumentKind, id: string, title: string, body: string): Promise<void>;
  /** Removes a document. */
  remove(db: DB, kind: DocumentKind, id: string): Promise<void>;
  /** Ids of documents of a kind matching every word of the query, best first. */
  search(db: DB, kind: DocumentKind, query: string, limit: number): Promise<string[]>;
}

/** Splits user input into plain words (letters and digits); everything else is dropped. */
export function queryWords(query: string): string[] {
  return (query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 20).map((w) => w.toLowerCase());
}
