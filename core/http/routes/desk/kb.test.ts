import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loggedInAs, type TestClient } from '../../../testing/appliance.js';
import { buildDeskTestbed, json, type DeskTestbed } from './testing.js';

type Article = { id: string; title: string; html: string; visibility: string; helpfulYes: number; helpfulNo: number; authorId?: string };

describe('knowledge base', () => {
  let d: DeskTestbed;
  let tech: TestClient;
  let customer: TestClient;
  let publicId: string;
  let internalId: string;
  let categoryId: string;

  before(async () => {
    d = await buildDeskTestbed();
    tech = d.tech.client;
    customer = (await loggedInAs(d.t, 'customer')).client;
    categoryId = (await json<{ category: { id: string } }>(await tech.request('POST', '/api/v1/desk/kb/categories', { name: 'E-mail' }))).category.id;
    const pub = await tech.request('POST', '/api/v1/desk/kb/articles', {
      title: 'Reset your mailbox password', categoryId, visibility: 'public',
      bodyMarkdown: '# Steps\n\nOpen **settings**.\n\n<script>alert("kb")</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(2)>',
    });
    assert.equal(pub.status, 201);
    publicId = (await json<{ article: Article }>(pub)).article.id;
    const internal = await tech.request('POST', '/api/v1/desk/kb/articles', { title: 'Mailbox admin override', bodyMarkdown: 'Use the **mailbox** master key.', visibility: 'internal' });
    internalId = (await json<{ article: Article }>(internal)).article.id;
  });
  after(() => d.close());

  it('renders Markdown to sanitized HTML with script payloads inert', async () => {
    const { article } = await json<{ article: Article }>(await customer.request('GET', `/api/v1/portal/kb/articles/${publicId}`));
    assert.match(article.html, /<h1>Steps<\/h1>/);
    assert.match(article.html, /<strong>settings<\/strong>/);
    assert.doesNotMatch(article.html, /<script|onerror=|javascript:/i);
    assert.match(article.html, /&lt;script&gt;/);
    assert.equal(article.authorId, undefined);
  });

  it('searches with FTS5: staff see internal articles, portal users only public ones', async () => {
    const staff = await json<{ articles: Article[] }>(await tech.request('GET', '/api/v1/desk/kb/articles?q=mailbox'));
    assert.deepEqual(staff.articles.map((a) => a.id).sort(), [publicId, internalId].sort());
    const portal = await json<{ articles: Article[] }>(await customer.request('GET', '/api/v1/portal/kb/articles?q=mailbox'));
    assert.deepEqual(portal.articles.map((a) => a.id), [publicId]);
    assert.deepEqual((await json<{ articles: Article[] }>(await customer.request('GET', '/api/v1/portal/kb/articles?q=master'))).articles, []);
    assert.deepEqual((await json<{ articles: Article[] }>(await customer.request('GET', `/api/v1/portal/kb/articles?categoryId=${categoryId}`))).articles.map((a) => a.id), [publicId]);
    assert.equal((await customer.request('GET', `/api/v1/portal/kb/articles/${internalId}`)).status, 404);
    assert.equal((await customer.request('POST', `/api/v1/portal/kb/articles/${internalId}/vote`, { helpful: true })).status, 404);
    assert.equal((await customer.request('GET', '/api/v1/portal/kb/articles?visibility=internal')).status, 400);
  });

  it('keeps the index current on edit and delete', async () => {
    await tech.request('PATCH', `/api/v1/desk/kb/articles/${internalId}`, { title: 'Quota override', bodyMarkdown: 'Raise the quota.' });
    assert.deepEqual((await json<{ articles: Article[] }>(await tech.request('GET', '/api/v1/desk/kb/articles?q=master'))).articles, []);
    assert.equal((await json<{ articles: Article[] }>(await tech.request('GET', '/api/v1/desk/kb/articles?q=quota'))).articles[0]!.id, internalId);
    assert.equal((await tech.request('DELETE', `/api/v1/desk/kb/articles/${internalId}`)).status, 204);
    assert.deepEqual((await json<{ articles: Article[] }>(await tech.request('GET', '/api/v1/desk/kb/articles?q=quota'))).articles, []);
  });

  it('counts one helpful vote per account', async () => {
    await customer.request('POST', `/api/v1/portal/kb/articles/${publicId}/vote`, { helpful: true });
    const again = await json<{ helpfulYes: number; helpfulNo: number }>(await customer.request('POST', `/api/v1/portal/kb/articles/${publicId}/vote`, { helpful: false }));
    assert.deepEqual(again, { helpfulYes: 0, helpfulNo: 1 });
    const staff = await json<{ helpfulYes: number; helpfulNo: number }>(await tech.request('POST', `/api/v1/desk/kb/articles/${publicId}/vote`, { helpful: true }));
    assert.deepEqual(staff, { helpfulYes: 1, helpfulNo: 1 });
  });
});
