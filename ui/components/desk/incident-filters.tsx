import { useState } from 'preact/hooks';
import type { IncidentFilters } from '../../desk/api.js';
import { incidentStatuses, priorities, type Directory, type Queue } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { Field } from '../field.js';

/** The open statuses: what a queue shows by default. */
export const OPEN_STATUSES = 'new,assigned,in_progress,waiting_on_customer';

/** One button per technician group (and "no group"), with open, unassigned and breached counts. */
export function QueuePicker({ queues, groupId, onPick }: { queues: Queue[]; groupId: string | undefined; onPick: (groupId: string | undefined) => void }) {
  return (
    <div class="queue-groups" role="group" aria-label={t('desk.queue.label')}>
      <button type="button" aria-pressed={groupId === undefined} onClick={() => onPick(undefined)}>{t('desk.queue.all')}</button>
      {queues.map((queue) => {
        const id = queue.groupId ?? 'none';
        return (
          <button key={id} type="button" data-testid="queue" aria-pressed={groupId === id} onClick={() => onPick(id)}>
            {queue.groupId ? queue.name : t('desk.queue.noGroup')} · {t('desk.queue.counts', { open: queue.open, unassigned: queue.unassigned, breached: queue.breached })}
          </button>
        );
      })}
    </div>
  );
}

/** Filters and full-text search of the incident list; applies on submit (search) or on change (selects). */
export function IncidentFilterForm({ filters, directory, categories, onChange }: {
  filters: IncidentFilters;
  directory: Directory | undefined;
  categories: string[];
  onChange: (filters: IncidentFilters) => void;
}) {
  const [q, setQ] = useState(filters.q ?? '');
  const set = (change: Partial<IncidentFilters>) => onChange({ ...filters, ...change, offset: 0 });
  return (
    <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); set({ q: q.trim() || undefined }); }}>
      <Field id="inc-q" label={t('desk.filter.search')}>
        <input id="inc-q" type="search" data-testid="incident-search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder={t('desk.filter.searchHint')} />
      </Field>
      <Field id="inc-status" label={t('desk.field.status')}>
        <select id="inc-status" value={filters.status ?? ''} onChange={(e) => set({ status: e.currentTarget.value || undefined })}>
          <option value={OPEN_STATUSES}>{t('desk.filter.open')}</option>
          <option value="">{t('desk.filter.any')}</option>
          {incidentStatuses.map((s) => <option key={s} value={s}>{t(`desk.status.${s}`)}</option>)}
        </select>
      </Field>
      <Field id="inc-priority" label={t('desk.field.priority')}>
        <select id="inc-priority" value={filters.priority ?? ''} onChange={(e) => set({ priority: e.currentTarget.value || undefined })}>
          <option value="">{t('desk.filter.any')}</option>
          {priorities.map((p) => <option key={p} value={String(p)}>{t(`desk.priority.${p}`)}</option>)}
        </select>
      </Field>
      <Field id="inc-assignee" label={t('desk.field.assignee')}>
        <select id="inc-assignee" value={filters.assigneeId ?? ''} onChange={(e) => set({ assigneeId: e.currentTarget.value || undefined })}>
          <option value="">{t('desk.filter.any')}</option>
          <option value="me">{t('desk.filter.me')}</option>
          <option value="none">{t('desk.filter.unassigned')}</option>
          {directory?.technicians.map((u) => <option key={u.id} value={u.id}>{u.displayName || u.email}</option>)}
        </select>
      </Field>
      <Field id="inc-category" label={t('desk.field.category')}>
        <select id="inc-category" value={filters.category ?? ''} onChange={(e) => set({ category: e.currentTarget.value || undefined })}>
          <option value="">{t('desk.filter.any')}</option>
          {categories.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </Field>
      <Field id="inc-sort" label={t('desk.filter.sort')}>
        <select id="inc-sort" value={filters.sort ?? 'updated'} onChange={(e) => set({ sort: e.currentTarget.value as IncidentFilters['sort'] })}>
          {(['updated', 'created', 'priority', 'due'] as const).map((s) => <option key={s} value={s}>{t(`desk.sort.${s}`)}</option>)}
        </select>
      </Field>
      <div class="filter-buttons row">
        <label class="inline" for="inc-breached">
          <input id="inc-breached" type="checkbox" checked={filters.breached === true} onChange={(e) => set({ breached: e.currentTarget.checked || undefined })} />
          {t('desk.filter.breached')}
        </label>
        <button type="submit" data-testid="incident-search-go">{t('desk.filter.apply')}</button>
      </div>
    </form>
  );
}
