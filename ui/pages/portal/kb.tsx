import { useState } from 'preact/hooks';
import { useLoad } from '../../api/hooks.js';
import { ArticleResults, ArticleView } from '../../components/desk/article-view.js';
import { PortalTabs } from '../../components/desk/desk-tabs.js';
import { ErrorText } from '../../components/error-text.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { portalApi } from '../../desk/portal-api.js';
import { t } from '../../i18n/index.js';

/** Full-text search over the public knowledge base, by category. */
export function PortalKbPage() {
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<{ q?: string; categoryId?: string }>({});
  const categories = useLoad(() => portalApi.categories());
  const results = useLoad(() => portalApi.search(filters), [filters.q, filters.categoryId]);
  return (
    <Page title={t('portal.kb.title')}>
      <PortalTabs />
      <form class="search-bar" role="search" onSubmit={(e) => { e.preventDefault(); setFilters({ ...filters, q: text.trim() || undefined }); }}>
        <label for="portal-kb-q" class="sr-only">{t('desk.kb.search')}</label>
        <input id="portal-kb-q" type="search" data-testid="kb-search" placeholder={t('desk.kb.search')} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <label for="portal-kb-category" class="sr-only">{t('desk.field.category')}</label>
        <select id="portal-kb-category" value={filters.categoryId ?? ''} onChange={(e) => setFilters({ ...filters, categoryId: e.currentTarget.value || undefined })}>
          <option value="">{t('desk.kb.allCategories')}</option>
          {categories.data?.categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
        <button type="submit" data-testid="kb-search-go">{t('desk.kb.searchButton')}</button>
      </form>
      <ErrorText error={results.error ?? categories.error} />
      {results.data && <ArticleResults articles={results.data.articles} hrefOf={(id) => `/portal/kb/${id}`} />}
    </Page>
  );
}

/** One public article, with "was this helpful?". */
export function PortalArticlePage({ id }: { id: string }) {
  const article = useLoad(() => portalApi.article(id), [id]);
  return (
    <Page title={article.data?.article.title ?? t('portal.kb.title')}>
      <PortalTabs />
      <p><Link href="/portal/kb">{t('portal.kb.back')}</Link></p>
      <ErrorText error={article.error} />
      {article.data && <ArticleView article={article.data.article} vote={(helpful) => portalApi.vote(id, helpful)} />}
    </Page>
  );
}
