import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import type { Article, ArticleSummary } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Link } from '../link.js';
import { SafeHtml } from './safe-html.js';

/**
 * A KB article as readers see it: the server's sanitized HTML (rebuilt through SafeHtml's allowlist,
 * never inserted as markup) and "was this helpful?". The title is text.
 */
export function ArticleView({ article, vote }: { article: Article; vote: (helpful: boolean) => Promise<{ helpfulYes: number; helpfulNo: number }> }) {
  const [counts, setCounts] = useState({ yes: article.helpfulYes, no: article.helpfulNo });
  const [voted, setVoted] = useState<boolean | null>(null);
  const action = useAction();
  const send = (helpful: boolean) => void action.run(async () => {
    const answer = await vote(helpful);
    setCounts({ yes: answer.helpfulYes, no: answer.helpfulNo });
    setVoted(helpful);
  });
  return (
    <article class="card" data-testid="kb-article" aria-labelledby="article-title">
      <h2 id="article-title" data-testid="kb-article-title">{article.title}</h2>
      <p class="muted small-text">
        {article.categoryName ?? t('desk.kb.noCategory')} · {t('desk.kb.updated', { time: formatDateTime(article.updatedAt) })}
      </p>
      <SafeHtml html={article.html} testId="kb-article-body" />
      <div class="helpful" role="group" aria-label={t('desk.kb.helpful')}>
        <span>{t('desk.kb.helpful')}</span>
        <button type="button" class="secondary small" aria-pressed={voted === true} data-testid="kb-helpful-yes" disabled={action.busy} onClick={() => send(true)}>{t('common.yes')} ({counts.yes})</button>
        <button type="button" class="secondary small" aria-pressed={voted === false} data-testid="kb-helpful-no" disabled={action.busy} onClick={() => send(false)}>{t('common.no')} ({counts.no})</button>
        {voted !== null && <span class="ok" role="status">{t('desk.kb.thanks')}</span>}
      </div>
      <ErrorText error={action.error} />
    </article>
  );
}

/** A list of KB search hits: title as a link, the plain-text excerpt; `showVisibility` marks internal ones (desk only). */
export function ArticleResults({ articles, hrefOf, showVisibility }: {
  articles: ArticleSummary[];
  hrefOf: (id: string) => string;
  showVisibility?: boolean;
}) {
  if (articles.length === 0) return <p class="muted">{t('desk.kb.noResults')}</p>;
  return (
    <ul class="kb-results" data-testid="kb-results">
      {articles.map((a) => (
        <li key={a.id} data-testid="kb-result">
          <Link href={hrefOf(a.id)} class="ticket-title">{a.title}</Link>{' '}
          {a.categoryName && <span class="badge">{a.categoryName}</span>}
          {showVisibility && <span class={a.visibility === 'internal' ? 'badge warn' : 'badge on'}>{t(`desk.kb.visibility.${a.visibility}`)}</span>}
          <p class="kb-snippet">{a.excerpt}</p>
        </li>
      ))}
    </ul>
  );
}
