import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../support/clock.js';
import { newId } from '../support/secrets.js';
import type { DeskActor } from './actor.js';
import { diffFields, recordHistory } from './history.js';
import { deleteLinksOf } from './links.js';
import { markdownExcerpt, renderMarkdown } from './markdown.js';
import { requireRow } from './references.js';
import { fullText } from './search/index.js';
import type { DeskKbArticlesTable } from './tables.js';

type ArticleRow = DeskKbArticlesTable;

/** Fields of an article as the API takes them. */
export interface ArticleInput {
  title?: string | undefined;
  bodyMarkdown?: string | undefined;
  categoryId?: string | null | undefined;
  visibility?: 'public' | 'internal' | undefined;
}

async function votes(db: DB, ids: string[]): Promise<Map<string, { yes: number; no: number }>> {
  const map = new Map(ids.map((id) => [id, { yes: 0, no: 0 }]));
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('desk_kb_votes').select(['article_id', 'helpful']).where('article_id', 'in', ids).execute();
  for (const r of rows) {
    const v = map.get(r.article_id)!;
    if (r.helpful === 1) v.yes += 1;
    else v.no += 1;
  }
  return map;
}

async function categoryNames(db: DB): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('desk_kb_categories').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
}

/** Articles as list entries: a plain-text excerpt, never HTML. `authorId` only for staff. */
export async function toSummaries(db: DB, rows: ArticleRow[], staff: boolean) {
  const [v, names] = [await votes(db, rows.map((r) => r.id)), await categoryNames(db)];
  return rows.map((r) => ({
    id: r.id, title: r.title, excerpt: markdownExcerpt(r.body_markdown), categoryId: r.category_id, categoryName: r.category_id ? names.get(r.category_id) ?? null : null,
    visibility: r.visibility, helpfulYes: v.get(r.id)!.yes, helpfulNo: v.get(r.id)!.no, updatedAt: r.updated_at, ...(staff && { authorId: r.author_id }),
  }));
}

/** One article with its sanitized HTML. */
export async function toArticle(db: DB, row: ArticleRow, staff: boolean) {
  const [summary] = await toSummaries(db, [row], staff);
  const { excerpt: _excerpt, ...rest } = summary!;
  return { ...rest, bodyMarkdown: row.body_markdown, html: renderMarkdown(row.body_markdown), createdAt: row.created_at };
}

/** One article, or null; `publicOnly` hides internal ones. */
export async function findArticle(db: DB, id: string, publicOnly: boolean): Promise<ArticleRow | null> {
  let query = db.selectFrom('desk_kb_articles').selectAll().where('id', '=', id);
  if (publicOnly) query = query.where('visibility', '=', 'public');
  return (await query.executeTakeFirst()) ?? null;
}

/** Articles matching the filters; `q` is full-text (best first), otherwise newest first. */
export async function listArticles(db: DB, filter: { q?: string | undefined; categoryId?: string | undefined; visibility?: string | undefined; limit: number; offset: number }, publicOnly: boolean) {
  let query = db.selectFrom('desk_kb_articles').selectAll();
  if (publicOnly) query = query.where('visibility', '=', 'public');
  else if (filter.visibility) query = query.where('visibility', '=', filter.visibility);
  if (filter.categoryId) query = query.where('category_id', '=', filter.categoryId);
  let rank: Map<string, number> | null = null;
  if (filter.q?.trim()) {
    const ids = await fullText.search(db, 'kb_article', filter.q, 1000);
    if (ids.length === 0) return { rows: [], total: 0 };
    rank = new Map(ids.map((id, i) => [id, i]));
    query = query.where('id', 'in', ids);
  }
  const rows = await query.execute();
  rows.sort(rank ? (a, b) => rank.get(a.id)! - rank.get(b.id)! : (a, b) => b.updated_at - a.updated_at);
  return { rows: rows.slice(filter.offset, filter.offset + filter.limit), total: rows.length };
}

/** Creates an article and indexes it. */
export async function createArticle(db: DB, clock: Clock, actor: DeskActor, input: Required<Pick<ArticleInput, 'title' | 'bodyMarkdown' | 'visibility'>> & ArticleInput): Promise<ArticleRow> {
  await requireRow(db, 'desk_kb_categories', input.categoryId, 'categoryId');
  const now = clock.now();
  const row: ArticleRow = { id: newId(), title: input.title, body_markdown: input.bodyMarkdown, category_id: input.categoryId ?? null, visibility: input.visibility, author_id: actor.id, created_at: now, updated_at: now };
  await db.insertInto('desk_kb_articles').values(row).execute();
  await recordHistory(db, 'kb_article', row.id, actor, now, [{ field: 'created', oldValue: null, newValue: row.title }]);
  await fullText.upsert(db, 'kb_article', row.id, row.title, row.body_markdown);
  return row;
}

/** Changes an article, records the history, re-indexes it. */
export async function updateArticle(db: DB, clock: Clock, actor: DeskActor, row: ArticleRow, input: ArticleInput): Promise<ArticleRow> {
  await requireRow(db, 'desk_kb_categories', input.categoryId, 'categoryId');
  const next = { title: input.title, body_markdown: input.bodyMarkdown, category_id: input.categoryId, visibility: input.visibility };
  const changes = diffFields(row as unknown as Record<string, unknown>, next);
  if (changes.length === 0) return row;
  const now = clock.now();
  await db.updateTable('desk_kb_articles').set({ ...Object.fromEntries(changes.map((c) => [c.field, c.newValue])), updated_at: now }).where('id', '=', row.id).execute();
  await recordHistory(db, 'kb_article', row.id, actor, now, changes);
  const updated = (await findArticle(db, row.id, false))!;
  await fullText.upsert(db, 'kb_article', updated.id, updated.title, updated.body_markdown);
  return updated;
}

/** Deletes an article with its votes, links and index entry. */
export async function deleteArticle(db: DB, id: string): Promise<boolean> {
  const result = await db.deleteFrom('desk_kb_articles').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  await deleteLinksOf(db, 'kb_article', id);
  await fullText.remove(db, 'kb_article', id);
  return true;
}

/** Records one account's "was this helpful" vote (a new vote replaces the old); returns the counts. */
export async function voteArticle(db: DB, clock: Clock, articleId: string, userId: string, helpful: boolean): Promise<{ helpfulYes: number; helpfulNo: number }> {
  const values = { article_id: articleId, user_id: userId, helpful: helpful ? 1 : 0, at: clock.now() };
  await db.insertInto('desk_kb_votes').values(values).onConflict((oc) => oc.columns(['article_id', 'user_id']).doUpdateSet({ helpful: values.helpful, at: values.at })).execute();
  const v = (await votes(db, [articleId])).get(articleId)!;
  return { helpfulYes: v.yes, helpfulNo: v.no };
}

/** KB categories by name. */
export async function listCategories(db: DB) {
  return (await db.selectFrom('desk_kb_categories').select(['id', 'name']).orderBy('name').execute());
}

/** Creates or renames a category; names are unique. */
export async function saveCategory(db: DB, clock: Clock, name: string, id?: string): Promise<{ id: string; name: string }> {
  const taken = await db.selectFrom('desk_kb_categories').select('id').where('name', '=', name).executeTakeFirst();
  if (taken && taken.id !== id) throw new ApiError('conflict', 'A category with this name exists.', { reason: 'duplicate' });
  if (id) {
    const result = await db.updateTable('desk_kb_categories').set({ name }).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new ApiError('not_found', 'No such category.');
    return { id, name };
  }
  const row = { id: newId(), name, created_at: clock.now() };
  await db.insertInto('desk_kb_categories').values(row).execute();
  return { id: row.id, name };
}
