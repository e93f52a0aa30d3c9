import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { PriorityBadge, StatusBadge } from '../../components/desk/badges.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { History } from '../../components/desk/history.js';
import { Links } from '../../components/desk/links.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { itilApi } from '../../desk/api.js';
import { problemStatuses, type Problem } from '../../desk/types.js';
import { t } from '../../i18n/index.js';

/** The problem's fields: description, root cause, workaround, known error, status. */
function ProblemForm({ problem, onSaved }: { problem: Problem; onSaved: () => void }) {
  const [form, setForm] = useState(problem);
  const action = useAction();
  const set = (change: Partial<Problem>) => setForm({ ...form, ...change });
  const save = (event: Event) => {
    event.preventDefault();
    const { title, description, rootCause, workaround, knownError, status } = form;
    void action.run(async () => {
      await itilApi.updateProblem(problem.id, { title, description, rootCause, workaround, knownError, status });
      onSaved();
    });
  };
  return (
    <form class="card" onSubmit={save}>
      <Field id="prb-title" label={t('desk.field.title')}><input id="prb-title" required maxLength={200} value={form.title} onInput={(e) => set({ title: e.currentTarget.value })} /></Field>
      <Field id="prb-description" label={t('desk.field.description')}><textarea id="prb-description" class="short" value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} /></Field>
      <Field id="prb-root" label={t('desk.problem.rootCause')}><textarea id="prb-root" class="short" value={form.rootCause} onInput={(e) => set({ rootCause: e.currentTarget.value })} /></Field>
      <Field id="prb-workaround" label={t('desk.problem.workaround')}><textarea id="prb-workaround" class="short" value={form.workaround} onInput={(e) => set({ workaround: e.currentTarget.value })} /></Field>
      <div class="form-grid">
        <Field id="prb-edit-status" label={t('desk.field.status')}>
          <select id="prb-edit-status" value={form.status} onChange={(e) => set({ status: e.currentTarget.value as Problem['status'] })}>
            {problemStatuses.map((s) => <option key={s} value={s}>{t(`desk.problem.status.${s}`)}</option>)}
          </select>
        </Field>
        <label class="inline" for="prb-known-error"><input id="prb-known-error" type="checkbox" checked={form.knownError} onChange={(e) => set({ knownError: e.currentTarget.checked })} />{t('desk.problem.knownError')}</label>
      </div>
      <ErrorText error={action.error} />
      <button type="submit" disabled={action.busy}>{t('common.save')}</button>
    </form>
  );
}

/** One problem: its fields, the incidents attached to it, its links. */
export function ProblemPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const detail = useLoad(() => itilApi.problem(id), [id, version]);
  const changed = () => setVersion((v) => v + 1);
  const data = detail.data;
  return (
    <Page title={data ? `${data.problem.ref} ${data.problem.title}` : t('desk.problem.problem')}>
      <DeskTabs />
      <p><Link href="/desk/problems">{t('desk.problems.back')}</Link></p>
      <ErrorText error={detail.error} />
      {data && (
        <div class="grid2">
          <ProblemForm key={data.problem.updatedAt} problem={data.problem} onSaved={changed} />
          <div>
            <section class="card" aria-labelledby="prb-incidents">
              <h2 id="prb-incidents">{t('desk.problem.incidents')}</h2>
              {data.incidents.length === 0 && <p class="muted">{t('desk.incidents.none')}</p>}
              <ul class="link-list">
                {data.incidents.map((i) => (
                  <li key={i.id}><span class="ticket-number">{i.ref}</span> <Link href={`/desk/incidents/${i.id}`}>{i.title}</Link> <StatusBadge status={i.status} /> <PriorityBadge priority={i.priority} /></li>
                ))}
              </ul>
              <p class="hint">{t('desk.problem.attachHint')}</p>
            </section>
            <Links fromType="problem" fromId={id} links={data.links} onChanged={changed} />
            <History load={() => Promise.resolve({ history: data.history })} reloadKey={data} />
          </div>
        </div>
      )}
    </Page>
  );
}
