import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../../db/open.js';
import { queryWords } from './full-text.js';
import { sqliteFullText } from './sqlite-fts.js';

describe('SQLite FTS5 adapter', () => {
  it('indexes rows that existed before the index, then keeps it current', async () => {
    const db = await openDatabase(':memory:');
    await db.insertInto('desk_kb_articles').values({ id: 'a1', title: 'Drucker einrichten', body_markdown: 'Treiber für den Büro-Drucker', category_id: null, visibility: 'public', author_id: null, created_at: 0, updated_at: 0 }).execute();
    assert.deepEqual(await sqliteFullText.search(db, 'kb_article', 'buro', 10), ['a1'], 'backfilled, diacritics folded');
    assert.deepEqual(await sqliteFullText.search(db, 'kb_article', 'druck', 10), ['a1'], 'prefix match');
    assert.deepEqual(await sqliteFullText.search(db, 'incident', 'drucker', 10), [], 'kinds are separate');
    await sqliteFullText.upsert(db, 'kb_article', 'a1', 'Scanner', 'nothing else');
    assert.deepEqual(await sqliteFullText.search(db, 'kb_article', 'drucker', 10), []);
    await sqliteFullText.upsert(db, 'kb_article', 'a2', 'Scanner setup', 'scanner scanner scanner');
    assert.deepEqual(await sqliteFullText.search(db, 'kb_article', 'scanner', 10), ['a2', 'a1'], 'ranked by bm25');
    await sqliteFullText.remove(db, 'kb_article', 'a2');
    assert.deepEqual(await sqliteFullText.search(db, 'kb_article', 'scanner', 10), ['a1']);
    await db.destroy();
  });

  it('treats every query as plain words: FTS syntax and quotes cannot break out', async () => {
    const db = await openDatabase(':memory:');
    await sqliteFullText.upsert(db, 'incident', 'i1', 'VPN', 'tunnel drops');
    for (const query of ['"', 'vpn OR', 'NEAR(vpn', '*', 'title:vpn', '-vpn', "vpn'; DROP TABLE desk_fts; --", '^vpn', '']) {
      await sqliteFullText.search(db, 'incident', query, 10); // must not throw
    }
    assert.deepEqual(await sqliteFullText.search(db, 'incident', '"vpn" (tunnel*)', 10), ['i1'], 'syntax characters are separators');
    assert.deepEqual(await sqliteFullText.search(db, 'incident', 'vpn printer', 10), [], 'every word must match');
    assert.deepEqual(queryWords('vpn AND "tunnel" OR x*'), ['vpn', 'and', 'tunnel', 'or', 'x']);
    await db.destroy();
  });
});
