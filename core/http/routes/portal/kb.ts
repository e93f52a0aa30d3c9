import { findArticle, listArticles, listCategories, toArticle, toSummaries, voteArticle } from '../../../desk/kb.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';
import { limitPortalWrite, portalAccess } from '../desk/access.js';
import { articleListQuery, voteBody } from '../desk/kb.js';

const tag = 'portal';

/** The public knowledge base for portal users: internal articles answer 404. */
export const portalKbRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/portal/kb/categories', tag, summary: 'KB categories.', access: portalAccess, responses: { 200: '{ categories }' },
    handler: async (c) => c.json({ categories: await listCategories(c.get('services').db) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/portal/kb/articles', tag, summary: 'Search or list public KB articles.', access: portalAccess, query: articleListQuery.omit({ visibility: true }),
    responses: { 200: '{ articles, total }' },
    handler: async (c, { query }) => {
      const { db } = c.get('services');
      const { rows, total } = await listArticles(db, query, true);
      return c.json({ articles: await toSummaries(db, rows, false), total });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/portal/kb/articles/:id', tag, summary: 'One public KB article with its sanitized HTML.', access: portalAccess, responses: { 200: '{ article }', 404: 'not_found' },
    handler: async (c, { params }) => {
      const row = await findArticle(c.get('services').db, params.id!, true);
      if (!row) throw new ApiError('not_found', 'No such article.');
      return c.json({ article: await toArticle(c.get('services').db, row, false) });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/portal/kb/articles/:id/vote', tag, summary: '"Was this helpful?" on a public article.', access: portalAccess, body: voteBody,
    responses: { 200: '{ helpfulYes, helpfulNo }', 404: 'not_found' },
    handler: async (c, { body, params, principal }) => {
      limitPortalWrite(c, principal);
      const { db, clock } = c.get('services');
      if (!(await findArticle(db, params.id!, true))) throw new ApiError('not_found', 'No such article.');
      return c.json(await voteArticle(db, clock, params.id!, principal!.userId, body.helpful));
    },
  }),
];
