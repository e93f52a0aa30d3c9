import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../../api/hooks.js';
import { StateBadge } from '../../components/desk/badges.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { History } from '../../components/desk/history.js';
import { Links } from '../../components/desk/links.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { itilApi, type ReleaseInput } from '../../desk/api.js';
import { fromLocalInput, toLocalInput } from '../../desk/format.js';
import type { Release } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/** The release workflow: planned → in progress → deployed → closed; any open one can be cancelled. */
const nextOf: Record<Release['status'], Release['status'][]> = {
  planned: ['in_progress', 'cancelled'], in_progress: ['deployed', 'cancelled'], deployed: ['closed'], closed: [], cancelled: [],
};

/** Creates or edits a release: name, version, schedule, and which changes it groups. */
function ReleaseForm({ release, onSaved }: { release: Release | null; onSaved: (release: Release) => void }) {
  const [form, setForm] = useState<Omit<ReleaseInput, 'status'>>({
    name: release?.name ?? '', version: release?.version ?? '', description: release?.description ?? '', plannedAt: release?.plannedAt ?? null, changeIds: release?.changeIds ?? [],
  });
  const changes = useLoad(() => itilApi.changes({}));
  const action = useAction();
  const set = (patch: Partial<ReleaseInput>) => setForm({ ...form, ...patch });
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const saved = release ? await itilApi.updateRelease(release.id, form) : await itilApi.createRelease(form);
      onSaved(saved.release);
    });
  };
  return (
    <form class="card" onSubmit={save}>
      <div class="form-grid">
        <Field id="rel-name" label={t('desk.field.name')}><input id="rel-name" required maxLength={200} value={form.name} onInput={(e) => set({ name: e.currentTarget.value })} /></Field>
        <Field id="rel-version" label={t('desk.release.version')}><input id="rel-version" maxLength={50} value={form.version} onInput={(e) => set({ version: e.currentTarget.value })} /></Field>
        <Field id="rel-planned" label={t('desk.release.plannedAt')}><input id="rel-planned" type="datetime-local" value={toLocalInput(form.plannedAt)} onInput={(e) => set({ plannedAt: fromLocalInput(e.currentTarget.value) })} /></Field>
      </div>
      <Field id="rel-description" label={t('desk.field.description')}><textarea id="rel-description" class="short" value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} /></Field>
      <fieldset class="field">
        <legend>{t('desk.release.changes')}</legend>
        <div class="checks">
          {changes.data?.changes.length === 0 && <span class="muted">{t('common.none')}</span>}
          {changes.data?.changes.map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={form.changeIds.includes(c.id)} onChange={(e) => set({ changeIds: e.currentTarget.checked ? [...form.changeIds, c.id] : form.changeIds.filter((x) => x !== c.id) })} />
              {c.ref} {c.title}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorText error={action.error ?? changes.error} />
      <button type="submit" disabled={action.busy}>{release ? t('common.save') : t('common.create')}</button>
    </form>
  );
}

/** Releases: what is planned, in progress, deployed. */
export function ReleasesPage() {
  const list = useLoad(() => itilApi.releases());
  return (
    <Page title={t('desk.releases.title')}>
      <DeskTabs />
      <ErrorText error={list.error} />
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{t('desk.releases.title')}</caption>
          <thead><tr><th scope="col">{t('desk.release.release')}</th><th scope="col">{t('desk.release.version')}</th><th scope="col">{t('desk.field.status')}</th><th scope="col">{t('desk.release.plannedAt')}</th><th scope="col">{t('desk.release.changes')}</th></tr></thead>
          <tbody>
            {list.data?.releases.map((r) => (
              <tr key={r.id} data-testid="release-row">
                <td><span class="ticket-number">{r.ref}</span> <Link href={`/desk/releases/${r.id}`} class="ticket-title">{r.name}</Link></td>
                <td>{r.version}</td>
                <td><StateBadge family="release" value={r.status} /></td>
                <td class="nowrap">{r.plannedAt ? formatDateTime(r.plannedAt) : '—'}</td>
                <td class="num">{r.changeIds.length}</td>
              </tr>
            ))}
            {list.data?.releases.length === 0 && <tr><td colSpan={5} class="muted">{t('desk.releases.none')}</td></tr>}
          </tbody>
        </table>
      </div>
      <details class="card">
        <summary>{t('desk.releases.new')}</summary>
        <ReleaseForm release={null} onSaved={(r) => navigate(`/desk/releases/${r.id}`)} />
      </details>
    </Page>
  );
}

/** One release: its fields, status moves, the changes it groups, links. */
export function ReleasePage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const detail = useLoad(() => itilApi.release(id), [id, version]);
  const action = useAction();
  const changed = () => setVersion((v) => v + 1);
  const data = detail.data;
  const move = (status: Release['status']) => void action.run(async () => {
    await itilApi.updateRelease(id, { status });
    changed();
  });
  return (
    <Page title={data ? `${data.release.ref} ${data.release.name} ${data.release.version}` : t('desk.release.release')}>
      <DeskTabs />
      <p><Link href="/desk/releases">{t('desk.releases.back')}</Link></p>
      <ErrorText error={detail.error ?? action.error} />
      {data && (
        <div class="grid2">
          <div>
            <div class="row">
              <span>{t('desk.field.status')}: <StateBadge family="release" value={data.release.status} /></span>
              {nextOf[data.release.status].map((s) => (
                <button key={s} type="button" class="secondary small" disabled={action.busy} onClick={() => move(s)}>{t(`desk.release.status.${s}`)}</button>
              ))}
            </div>
            <ReleaseForm key={data.release.updatedAt} release={data.release} onSaved={changed} />
          </div>
          <div>
            <section class="card" aria-labelledby="rel-changes">
              <h2 id="rel-changes">{t('desk.release.changes')}</h2>
              {data.changes.length === 0 && <p class="muted">{t('common.none')}</p>}
              <ul class="link-list">
                {data.changes.map((c) => <li key={c.id}><span class="ticket-number">{c.ref}</span> <Link href={`/desk/changes/${c.id}`}>{c.title}</Link> <StateBadge family="change" value={c.status} /></li>)}
              </ul>
            </section>
            <Links fromType="release" fromId={id} links={data.links} onChanged={changed} />
            <History load={() => Promise.resolve({ history: data.history })} reloadKey={data} />
          </div>
        </div>
      )}
    </Page>
  );
}
