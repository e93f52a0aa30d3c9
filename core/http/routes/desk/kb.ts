import { z } from 'zod';
import { createArticle, deleteArticle, findArticle, listArticles, listCategories, saveCategory, toArticle, toSummaries, updateArticle, voteArticle } from '../../../desk/kb.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { deskAccess, deskActor } from './access.js';
import { idField } from './schema.js';

const tag = 'desk-kb';
const visibility = z.enum(['public', 'internal']);
const articleFields = { title: z.string().trim().min(1).max(200), bodyMarkdown: z.string().max(100_000), categoryId: idField.nullable().optional(), visibility };
const categoryBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** Query of KB article lists (desk and portal). */
export const articleListQuery = z.object({
  q: z.string().max(200).optional(), categoryId: z.string().max(64).optional(), visibility: visibility.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
}).strict();

/** Body of a "was this helpful" vote. */
export const voteBody = z.object({ helpful: z.boolean() }).strict();

/** The knowledge base for staff: categories, public and internal articles, search, votes. */
export const deskKbRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/desk/kb/categories', tag, summary: 'KB categories.', access: deskAccess, responses: { 200: '{ categories }' },
    handler: async (c) => c.json({ categories: await listCategories(c.get('services').db) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/kb/categories', tag, summary: 'Create a KB category.', access: deskAccess, body: categoryBody, responses: { 201: '{ category }', 409: 'conflict' },
    handler: async (c, { body }) => c.json({ category: await saveCategory(c.get('services').db, c.get('services').clock, body.name) }, 201),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/kb/categories/:id', tag, summary: 'Rename a KB category.', access: deskAccess, body: categoryBody, responses: { 200: '{ category }', 404: 'not_found' },
    handler: async (c, { body, params }) => c.json({ category: await saveCategory(c.get('services').db, c.get('services').clock, body.name, params.id!) }),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/kb/categories/:id', tag, summary: 'Delete a KB category (its articles keep existing, uncategorised).', access: deskAccess, responses: { 204: 'deleted', 404: 'not_found' },
    handler: async (c, { params }) => {
      const result = await c.get('services').db.deleteFrom('desk_kb_categories').where('id', '=', params.id!).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new ApiError('not_found', 'No such category.');
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/kb/articles', tag, summary: 'Search or list KB articles (public and internal).', access: deskAccess, query: articleListQuery,
    responses: { 200: '{ articles, total }' },
    handler: async (c, { query }) => {
      const { db } = c.get('services');
      const { rows, total } = await listArticles(db, query, false);
      return c.json({ articles: await toSummaries(db, rows, true), total });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/kb/articles', tag, summary: 'Write a KB article (Markdown).', access: deskAccess, body: z.object(articleFields).strict(), maxBodyBytes: 256 * 1024,
    responses: { 201: '{ article }' },
    handler: async (c, { body, principal }) => {
      const { db, clock } = c.get('services');
      const row = await createArticle(db, clock, await deskActor(c, principal), body);
      return c.json({ article: await toArticle(db, row, true) }, 201);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/desk/kb/articles/:id', tag, summary: 'One KB article with its sanitized HTML.', access: deskAccess, responses: { 200: '{ article }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const row = await findArticle(c.get('services').db, params.id!, false);
      if (!row) throw new ApiError('not_found', 'No such article.');
      return c.json({ article: await toArticle(c.get('services').db, row, true) });
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/desk/kb/articles/:id', tag, summary: 'Change a KB article.', access: deskAccess, maxBodyBytes: 256 * 1024,
    body: z.object({ ...articleFields, title: articleFields.title.optional(), bodyMarkdown: articleFields.bodyMarkdown.optional(), visibility: visibility.optional() }).strict(),
    responses: { 200: '{ article }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      const row = await findArticle(db, params.id!, false);
      if (!row) throw new ApiError('not_found', 'No such article.');
      return c.json({ article: await toArticle(db, await updateArticle(db, clock, await deskActor(c, principal), row, body), true) });
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/desk/kb/articles/:id', tag, summary: 'Delete a KB article.', access: deskAccess, responses: { 204: 'deleted', 404: 'not_found' },
    handler: async (c, { params }) => {
      if (!(await deleteArticle(c.get('services').db, params.id!))) throw new ApiError('not_found', 'No such article.');
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/desk/kb/articles/:id/vote', tag, summary: '"Was this helpful?"', access: deskAccess, body: voteBody,
    responses: { 200: '{ helpfulYes, helpfulNo }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      const { db, clock } = c.get('services');
      if (!(await findArticle(db, params.id!, false))) throw new ApiError('not_found', 'No such article.');
      return c.json(await voteArticle(db, clock, params.id!, principal!.userId, body.helpful));
    },
  }),
];
