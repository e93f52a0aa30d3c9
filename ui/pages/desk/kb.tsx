import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { ArticleResults } from '../../components/desk/article-view.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorText } from '../../components/error-text.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { kbApi } from '../../desk/api.js';
import { t } from '../../i18n/index.js';

/** KB categories: add and remove (a category in use is refused by the server). */
function Categories({ onChanged }: { onChanged: () => void }) {
  const categories = useLoad(() => kbApi.categories());
  const [name, setName] = useState('');
  const action = useAction();
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await kbApi.createCategory(name.trim());
      setName('');
      await categories.reload();
      onChanged();
    });
  };
  const remove = (id: string) => void action.run(async () => {
    await kbApi.removeCategory(id);
    await categories.reload();
    onChanged();
  });
  return (
    <details class="card">
      <summary>{t('desk.kb.categories')}</summary>
      <ul class="link-list">
        {categories.data?.categories.map((c) => (
          <li key={c.id}>{c.name} <ConfirmButton label={t('common.delete')} question={t('common.confirmDelete', { name: c.name })} onConfirm={() => remove(c.id)} /></li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add}>
        <div class="field"><label for="kb-cat-name">{t('desk.kb.newCategory')}</label>
          <input id="kb-cat-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} /></div>
        <button type="submit" class="secondary" disabled={action.busy}>{t('common.create')}</button>
      </form>
      <ErrorText error={action.error ?? categories.error} />
    </details>
  );
}

/** The knowledge base for staff: full-text search over public and internal articles, categories, "New article". */
export function KbPage() {
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<{ q?: string; categoryId?: string; visibility?: string }>({});
  const [version, setVersion] = useState(0);
  const categories = useLoad(() => kbApi.categories(), [version]);
  const results = useLoad(() => kbApi.search(filters), [filters.q, filters.categoryId, filters.visibility, version]);
  return (
    <Page title={t('desk.kb.title')} actions={<Link href="/desk/kb/new" class="button">{t('desk.kb.new')}</Link>}>
      <DeskTabs />
      <form class="search-bar" role="search" onSubmit={(e) => { e.preventDefault(); setFilters({ ...filters, q: text.trim() || undefined }); }}>
        <label for="kb-q" class="sr-only">{t('desk.kb.search')}</label>
        <input id="kb-q" type="search" data-testid="kb-search" placeholder={t('desk.kb.search')} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <label for="kb-category" class="sr-only">{t('desk.field.category')}</label>
        <select id="kb-category" value={filters.categoryId ?? ''} onChange={(e) => setFilters({ ...filters, categoryId: e.currentTarget.value || undefined })}>
          <option value="">{t('desk.kb.allCategories')}</option>
          {categories.data?.categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
        <label for="kb-visibility" class="sr-only">{t('desk.kb.visibility')}</label>
        <select id="kb-visibility" value={filters.visibility ?? ''} onChange={(e) => setFilters({ ...filters, visibility: e.currentTarget.value || undefined })}>
          <option value="">{t('desk.filter.any')}</option>
          <option value="public">{t('desk.kb.visibility.public')}</option>
          <option value="internal">{t('desk.kb.visibility.internal')}</option>
        </select>
        <button type="submit" data-testid="kb-search-go">{t('desk.kb.searchButton')}</button>
      </form>
      <ErrorText error={results.error} />
      {results.data && <ArticleResults articles={results.data.articles} hrefOf={(id) => `/desk/kb/${id}`} showVisibility />}
      <Categories onChanged={() => setVersion((v) => v + 1)} />
    </Page>
  );
}
