import { useState } from 'preact/hooks';
import type { Me } from '../../api/client.js';
import { useLoad } from '../../api/hooks.js';
import { StateBadge } from '../../components/desk/badges.js';
import { ChangeApproval } from '../../components/desk/change-approval.js';
import { ChangeForm } from '../../components/desk/change-form.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { History } from '../../components/desk/history.js';
import { Links } from '../../components/desk/links.js';
import { ErrorText } from '../../components/error-text.js';
import { Field } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { itilApi } from '../../desk/api.js';
import { changeStatuses, changeTypes } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';

/** Changes: filter by status and type; create a draft. */
export function ChangesPage() {
  const [filters, setFilters] = useState<{ status?: string; type?: string }>({});
  const list = useLoad(() => itilApi.changes(filters), [filters.status, filters.type]);
  return (
    <Page title={t('desk.changes.title')}>
      <DeskTabs />
      <div class="filters">
        <Field id="chg-f-status" label={t('desk.field.status')}>
          <select id="chg-f-status" value={filters.status ?? ''} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value || undefined })}>
            <option value="">{t('desk.filter.any')}</option>
            {changeStatuses.map((s) => <option key={s} value={s}>{t(`desk.change.status.${s}`)}</option>)}
          </select>
        </Field>
        <Field id="chg-f-type" label={t('desk.change.type')}>
          <select id="chg-f-type" value={filters.type ?? ''} onChange={(e) => setFilters({ ...filters, type: e.currentTarget.value || undefined })}>
            <option value="">{t('desk.filter.any')}</option>
            {changeTypes.map((ct) => <option key={ct} value={ct}>{t(`desk.change.types.${ct}`)}</option>)}
          </select>
        </Field>
      </div>
      <ErrorText error={list.error} />
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{t('desk.changes.title')}</caption>
          <thead><tr><th scope="col">{t('desk.change.change')}</th><th scope="col">{t('desk.field.status')}</th><th scope="col">{t('desk.change.type')}</th><th scope="col">{t('desk.change.risk')}</th><th scope="col">{t('desk.change.plannedStart')}</th></tr></thead>
          <tbody>
            {list.data?.changes.map((c) => (
              <tr key={c.id} data-testid="change-row">
                <td><span class="ticket-number">{c.ref}</span> <Link href={`/desk/changes/${c.id}`} class="ticket-title">{c.title}</Link></td>
                <td><StateBadge family="change" value={c.status} /></td>
                <td>{t(`desk.change.types.${c.type}`)}</td>
                <td>{t(`desk.level.${c.risk}`)}</td>
                <td class="nowrap">{c.plannedStart ? formatDateTime(c.plannedStart) : '—'}</td>
              </tr>
            ))}
            {list.data?.changes.length === 0 && <tr><td colSpan={5} class="muted">{t('desk.changes.none')}</td></tr>}
          </tbody>
        </table>
      </div>
      <details class="card">
        <summary>{t('desk.changes.new')}</summary>
        <ChangeForm change={null} onSaved={(c) => navigate(`/desk/changes/${c.id}`)} />
      </details>
    </Page>
  );
}

/** One change: its fields, the approval step and status moves, its links. */
export function ChangePage({ id, me }: { id: string; me: Me }) {
  const [version, setVersion] = useState(0);
  const detail = useLoad(() => itilApi.change(id), [id, version]);
  const changed = () => setVersion((v) => v + 1);
  const data = detail.data;
  return (
    <Page title={data ? `${data.change.ref} ${data.change.title}` : t('desk.change.change')}>
      <DeskTabs />
      <p><Link href="/desk/changes">{t('desk.changes.back')}</Link></p>
      <ErrorText error={detail.error} />
      {data && (
        <div class="grid2">
          <div>
            <p>{t('desk.field.status')}: <StateBadge family="change" value={data.change.status} /></p>
            <ChangeForm key={data.change.updatedAt} change={data.change} onSaved={changed} />
          </div>
          <div>
            <ChangeApproval change={data.change} me={me} onChanged={changed} />
            <Links fromType="change" fromId={id} links={data.links} onChanged={changed} />
            <History load={() => Promise.resolve({ history: data.history })} reloadKey={data} />
          </div>
        </div>
      )}
    </Page>
  );
}
