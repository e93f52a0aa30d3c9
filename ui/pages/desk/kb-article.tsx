import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { ArticleView } from '../../components/desk/article-view.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { Links } from '../../components/desk/links.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { itilApi, kbApi, type ArticleInput } from '../../desk/api.js';
import type { Article, KbCategory } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/**
 * The article editor: title, Markdown, category, public or internal. The preview is what the
 * server rendered and sanitized on the last save (the browser never renders Markdown itself,
 * so what staff preview is exactly what readers get).
 */
function ArticleEditor({ article, categories, onSaved }: { article: Article | null; categories: KbCategory[]; onSaved: (article: Article) => void }) {
  const [form, setForm] = useState<ArticleInput>({
    title: article?.title ?? '', bodyMarkdown: article?.bodyMarkdown ?? '', categoryId: article?.categoryId ?? null, visibility: article?.visibility ?? 'internal',
  });
  const action = useAction();
  const set = (change: Partial<ArticleInput>) => setForm({ ...form, ...change });
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const saved = article ? await kbApi.update(article.id, form) : await kbApi.create(form);
      onSaved(saved.article);
    });
  };
  return (
    <form class="card kb-editor" onSubmit={save} aria-label={t('desk.kb.editor')}>
      <Field id="kb-title" label={t('desk.field.title')}>
        <input id="kb-title" data-testid="kb-title" required maxLength={200} value={form.title} onInput={(e) => set({ title: e.currentTarget.value })} />
      </Field>
      <div class="form-grid">
        <Field id="kb-edit-category" label={t('desk.field.category')}>
          <select id="kb-edit-category" value={form.categoryId ?? ''} onChange={(e) => set({ categoryId: e.currentTarget.value || null })}>
            <option value="">{t('desk.kb.noCategory')}</option>
            {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </Field>
        <fieldset class="field">
          <legend>{t('desk.kb.visibility')}</legend>
          <div class="checks">
            {(['internal', 'public'] as const).map((v) => (
              <label key={v}><input type="radio" name="kb-visibility" value={v} data-testid={`kb-visibility-${v}`} checked={form.visibility === v} onChange={() => set({ visibility: v })} />{t(`desk.kb.visibility.${v}`)}</label>
            ))}
          </div>
        </fieldset>
      </div>
      <Field id="kb-body" label={t('desk.kb.markdown')} hint={t('desk.kb.markdownHint')}>
        <textarea id="kb-body" data-testid="kb-body" aria-describedby="kb-body-hint" maxLength={100000} value={form.bodyMarkdown} onInput={(e) => set({ bodyMarkdown: e.currentTarget.value })} />
      </Field>
      <ErrorText error={action.error} />
      <button type="submit" data-testid="kb-save" disabled={action.busy}>{t('common.save')}</button>
    </form>
  );
}

/** A KB article for staff: edit it, see the rendered result, link it, delete it. `id` "new" starts a new one. */
export function KbArticlePage({ id }: { id: string }) {
  const isNew = id === 'new';
  const [version, setVersion] = useState(0);
  const article = useLoad(() => (isNew ? Promise.resolve(null) : kbApi.get(id).then((a) => a.article)), [id, version]);
  const links = useLoad(() => (isNew ? Promise.resolve({ links: [] }) : itilApi.links('kb_article', id)), [id, version]);
  const categories = useLoad(() => kbApi.categories());
  const remove = useAction();
  const current = article.data ?? null;
  const saved = (a: Article) => (isNew ? navigate(`/desk/kb/${a.id}`, true) : setVersion((v) => v + 1));
  return (
    <Page title={current?.title ?? t('desk.kb.new')}>
      <DeskTabs />
      <p><Link href="/desk/kb">{t('desk.kb.back')}</Link></p>
      <ErrorText error={article.error ?? remove.error} />
      {(isNew || current) && categories.data && (
        <div class="grid2">
          <ArticleEditor key={`${current?.id ?? 'new'}-${current?.updatedAt ?? 0}`} article={current} categories={categories.data.categories} onSaved={saved} />
          <div>
            {current && <ArticleView key={current.updatedAt} article={current} vote={(helpful) => kbApi.vote(current.id, helpful)} />}
            {current && <Links fromType="kb_article" fromId={current.id} links={links.data?.links ?? []} onChanged={() => setVersion((v) => v + 1)} />}
            {current && (
              <ConfirmButton label={t('common.delete')} question={t('common.confirmDelete', { name: current.title })}
                onConfirm={() => void remove.run(async () => { await kbApi.remove(current.id); navigate('/desk/kb'); })} />
            )}
          </div>
        </div>
      )}
    </Page>
  );
}
