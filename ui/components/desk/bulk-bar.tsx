import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { incidentsApi } from '../../desk/api.js';
import { incidentStatuses, type Directory, type IncidentStatus } from '../../desk/types.js';
import { hasText, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Field } from '../field.js';

/** Why one incident was not changed, in words when the desk knows the reason. */
const reasonText = (reason: string) => (hasText(`desk.bulk.reason.${reason}`) ? t(`desk.bulk.reason.${reason}`) : reason);

/**
 * Bulk actions on the selected incidents: assign a group and/or technician, set a status. The
 * server runs each incident through the same rules as a single change and answers which ones
 * failed (a status move not allowed from that incident's status): those stay selected, with the reason.
 */
export function BulkBar({ ids, directory, onDone }: { ids: string[]; directory: Directory | undefined; onDone: (failedIds: string[]) => void }) {
  const [groupId, setGroupId] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [status, setStatus] = useState('');
  const [failed, setFailed] = useState<{ id: string; reason?: string; error: string }[]>([]);
  const action = useAction();
  const nothing = !groupId && !assigneeId && !status;

  const apply = () => void action.run(async () => {
    const body: Parameters<typeof incidentsApi.bulk>[0] = { ids };
    if (groupId) body.groupId = groupId === 'none' ? null : groupId;
    if (assigneeId) body.assigneeId = assigneeId === 'none' ? null : assigneeId;
    if (status) body.status = status as IncidentStatus;
    const result = await incidentsApi.bulk(body);
    setFailed(result.failed);
    onDone(result.failed.map((f) => f.id));
  });

  return (
    <div class="bulk-bar" role="region" aria-label={t('desk.bulk.label')} data-testid="bulk-bar">
      <strong>{t('desk.bulk.selected', { n: ids.length })}</strong>
      <Field id="bulk-group" label={t('desk.field.group')}>
        <select id="bulk-group" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
          <option value="">{t('desk.bulk.keep')}</option>
          <option value="none">{t('desk.queue.noGroup')}</option>
          {directory?.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </select>
      </Field>
      <Field id="bulk-assignee" label={t('desk.field.assignee')}>
        <select id="bulk-assignee" value={assigneeId} onChange={(e) => setAssigneeId(e.currentTarget.value)}>
          <option value="">{t('desk.bulk.keep')}</option>
          <option value="none">{t('desk.filter.unassigned')}</option>
          {directory?.technicians.map((u) => <option key={u.id} value={u.id}>{u.displayName || u.email}</option>)}
        </select>
      </Field>
      <Field id="bulk-status" label={t('desk.field.status')}>
        <select id="bulk-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t('desk.bulk.keep')}</option>
          {incidentStatuses.map((s) => <option key={s} value={s}>{t(`desk.status.${s}`)}</option>)}
        </select>
      </Field>
      <button type="button" data-testid="bulk-apply" disabled={nothing || action.busy} onClick={apply}>{t('desk.bulk.apply')}</button>
      <ErrorText error={action.error} />
      {failed.length > 0 && (
        <p class="error" role="alert" data-testid="bulk-failed">
          {t('desk.bulk.failed', { n: failed.length })} {failed.map((f) => reasonText(f.reason ?? f.error)).join(', ')}
        </p>
      )}
    </div>
  );
}
