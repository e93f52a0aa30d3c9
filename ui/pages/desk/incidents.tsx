import { useEffect, useState } from 'preact/hooks';
import { useLoad } from '../../api/hooks.js';
import { BulkBar } from '../../components/desk/bulk-bar.js';
import { DeskTabs } from '../../components/desk/desk-tabs.js';
import { IncidentFilterForm, OPEN_STATUSES, QueuePicker } from '../../components/desk/incident-filters.js';
import { IncidentTable } from '../../components/desk/incident-table.js';
import { NewIncidentForm } from '../../components/desk/new-incident.js';
import { ErrorText } from '../../components/error-text.js';
import { Page } from '../../components/page.js';
import { useNow } from '../../console/format.js';
import { incidentsApi, type IncidentFilters } from '../../desk/api.js';
import { t } from '../../i18n/index.js';

const PAGE = 50;
const REFRESH_MS = 30_000;

/** The technician's incident queues: pick a group, filter, search, select rows for bulk actions. */
export function IncidentsPage() {
  const [filters, setFilters] = useState<IncidentFilters>({ status: OPEN_STATUSES, sort: 'updated', limit: PAGE, offset: 0 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [fetchedAt, setFetchedAt] = useState(Date.now());
  const now = useNow(30_000);
  const directory = useLoad(() => incidentsApi.directory());
  const settings = useLoad(() => incidentsApi.settings());
  const queues = useLoad(() => incidentsApi.queues());
  const list = useLoad(async () => {
    const answer = await incidentsApi.list(filters);
    setFetchedAt(Date.now());
    return answer;
  }, [JSON.stringify(filters)]);

  // The queue changes while a technician looks at it: fetch it again now and then.
  useEffect(() => {
    const timer = setInterval(() => {
      void list.reload();
      void queues.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [list.reload, queues.reload]);

  const change = (next: IncidentFilters) => {
    setSelected(new Set());
    setFilters(next);
  };
  // After a bulk action the incidents it could not change stay selected (the bar says why).
  const afterBulk = (failedIds: string[]) => {
    setSelected(new Set(failedIds));
    void list.reload();
    void queues.reload();
  };
  const offset = filters.offset ?? 0;
  const total = list.data?.total ?? 0;
  const categories = settings.data?.settings.incidentCategories ?? [];

  return (
    <Page title={t('desk.incidents.title')}>
      <DeskTabs />
      <ErrorText error={list.error ?? queues.error ?? directory.error ?? settings.error} />
      {queues.data && <QueuePicker queues={queues.data.queues} groupId={filters.groupId} onPick={(groupId) => change({ ...filters, groupId, offset: 0 })} />}
      <IncidentFilterForm filters={filters} directory={directory.data} categories={categories} onChange={change} />
      {selected.size > 0 && <BulkBar ids={[...selected]} directory={directory.data} onDone={afterBulk} />}
      <IncidentTable incidents={list.data?.incidents} selected={selected} onSelect={setSelected} fetchedAt={fetchedAt} now={now} />
      {total > PAGE && (
        <div class="row more">
          <button type="button" class="secondary" disabled={offset === 0} onClick={() => change({ ...filters, offset: Math.max(0, offset - PAGE) })}>{t('desk.page.prev')}</button>
          <span>{t('desk.page.range', { from: offset + 1, to: Math.min(total, offset + PAGE), total })}</span>
          <button type="button" class="secondary" disabled={offset + PAGE >= total} onClick={() => change({ ...filters, offset: offset + PAGE })}>{t('desk.page.next')}</button>
        </div>
      )}
      <NewIncidentForm directory={directory.data} categories={categories} />
    </Page>
  );
}
