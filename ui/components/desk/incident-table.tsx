import type { Incident } from '../../desk/types.js';
import { formatDateTime, t } from '../../i18n/index.js';
import { Link } from '../link.js';
import { PriorityBadge, SlaTarget, StatusBadge } from './badges.js';

/**
 * The incident list of a queue: a checkbox per row for bulk actions, the ref and title as a link,
 * status, priority, group, assignee and the resolution SLA. Titles are text, never HTML.
 */
export function IncidentTable({ incidents, selected, onSelect, fetchedAt, now }: {
  incidents: Incident[] | undefined;
  selected: Set<string>;
  onSelect: (ids: Set<string>) => void;
  fetchedAt: number;
  now: number;
}) {
  const all = incidents !== undefined && incidents.length > 0 && incidents.every((i) => selected.has(i.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onSelect(next);
  };
  return (
    <div class="table-wrap">
      <table data-testid="incident-table">
        <caption class="sr-only">{t('desk.incidents.title')}</caption>
        <thead>
          <tr>
            <th scope="col" class="check">
              <input type="checkbox" aria-label={t('desk.bulk.all')} checked={all} onChange={(e) => onSelect(new Set(e.currentTarget.checked ? incidents?.map((i) => i.id) : []))} />
            </th>
            <th scope="col">{t('desk.field.incident')}</th><th scope="col">{t('desk.field.status')}</th>
            <th scope="col">{t('desk.field.priority')}</th><th scope="col">{t('desk.field.group')}</th>
            <th scope="col">{t('desk.field.assignee')}</th><th scope="col">{t('desk.sla.resolution')}</th>
            <th scope="col">{t('desk.field.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {incidents?.map((incident) => (
            <tr key={incident.id} data-testid="incident-row" data-id={incident.id}>
              <td class="check">
                <input type="checkbox" aria-label={t('desk.bulk.select', { ref: incident.ref })} checked={selected.has(incident.id)} onChange={(e) => toggle(incident.id, e.currentTarget.checked)} />
              </td>
              <td>
                <span class="ticket-number">{incident.ref}</span>{' '}
                <Link href={`/desk/incidents/${incident.id}`} class="ticket-title">{incident.title}</Link>
                <div class="muted small-text">{incident.requester.displayName || incident.requester.email}</div>
              </td>
              <td><StatusBadge status={incident.status} /></td>
              <td><PriorityBadge priority={incident.priority} /></td>
              <td>{incident.groupName ?? <span class="muted">—</span>}</td>
              <td>{incident.assignee ? incident.assignee.displayName || incident.assignee.email : <span class="muted">{t('desk.filter.unassigned')}</span>}</td>
              <td><SlaTarget sla={incident.sla} kind="resolution" fetchedAt={fetchedAt} now={now} compact /></td>
              <td class="nowrap">{formatDateTime(incident.updatedAt)}</td>
            </tr>
          ))}
          {incidents?.length === 0 && <tr><td colSpan={8} class="muted">{t('desk.incidents.none')}</td></tr>}
          {!incidents && <tr><td colSpan={8} class="muted">{t('common.loading')}</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
