import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { StateBadge } from '../../components/desk/badges.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { itilApi } from '../../desk/api.js';
import { problemStatuses } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/** Records a new problem and opens it. */
function NewProblem() {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const { problem } = await itilApi.createProblem({ title, description });
      navigate(`/desk/problems/${problem.id}`);
    });
  };
  return (
    <details class="card">
      <summary>{t('desk.problems.new')}</summary>
      <form onSubmit={submit}>
        <Field id="new-prb-title" label={t('desk.field.title')}><input id="new-prb-title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></Field>
        <Field id="new-prb-description" label={t('desk.field.description')}><textarea id="new-prb-description" class="short" value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></Field>
        <ErrorText error={action.error} />
        <button type="submit" disabled={action.busy}>{t('common.create')}</button>
      </form>
    </details>
  );
}

/** Problems: the causes behind incidents; filter by status, known errors, text. */
export function ProblemsPage() {
  const [filters, setFilters] = useState<{ status?: string; knownError?: boolean; q?: string }>({});
  const [text, setText] = useState('');
  const list = useLoad(() => itilApi.problems(filters), [filters.status, filters.knownError, filters.q]);
  return (
    <Page title={t('desk.problems.title')}>
      <DeskTabs />
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setFilters({ ...filters, q: text.trim() || undefined }); }}>
        <Field id="prb-q" label={t('desk.filter.search')}><input id="prb-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} /></Field>
        <Field id="prb-status" label={t('desk.field.status')}>
          <select id="prb-status" value={filters.status ?? ''} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value || undefined })}>
            <option value="">{t('desk.filter.any')}</option>
            {problemStatuses.map((s) => <option key={s} value={s}>{t(`desk.problem.status.${s}`)}</option>)}
          </select>
        </Field>
        <div class="filter-buttons row">
          <label class="inline" for="prb-known"><input id="prb-known" type="checkbox" checked={filters.knownError === true} onChange={(e) => setFilters({ ...filters, knownError: e.currentTarget.checked || undefined })} />{t('desk.problem.knownErrorsOnly')}</label>
          <button type="submit">{t('desk.filter.apply')}</button>
        </div>
      </form>
      <ErrorText error={list.error} />
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{t('desk.problems.title')}</caption>
          <thead><tr><th scope="col">{t('desk.problem.problem')}</th><th scope="col">{t('desk.field.status')}</th><th scope="col">{t('desk.problem.knownError')}</th><th scope="col">{t('desk.field.updated')}</th></tr></thead>
          <tbody>
            {list.data?.problems.map((p) => (
              <tr key={p.id} data-testid="problem-row">
                <td><span class="ticket-number">{p.ref}</span> <Link href={`/desk/problems/${p.id}`} class="ticket-title">{p.title}</Link></td>
                <td><StateBadge family="problem" value={p.status} /></td>
                <td>{p.knownError ? <span class="badge warn">{t('desk.problem.knownError')}</span> : '—'}</td>
                <td class="nowrap">{formatDateTime(p.updatedAt)}</td>
              </tr>
            ))}
            {list.data?.problems.length === 0 && <tr><td colSpan={4} class="muted">{t('desk.problems.none')}</td></tr>}
          </tbody>
        </table>
      </div>
      <NewProblem />
    </Page>
  );
}
