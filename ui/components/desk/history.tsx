import { useLoad } from '../../api/hooks.js';
import type { HistoryEntry } from '../../desk/types.js';
import { formatDateTime, hasText, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';

/** A field name for people, when the desk knows it. */
const fieldName = (field: string) => (hasText(`desk.field.${field}`) ? t(`desk.field.${field}`) : field);

/** Fields whose values are times (epoch ms), shown as dates. */
const timeFields = new Set(['respondedAt', 'resolvedAt', 'closedAt', 'plannedStart', 'plannedEnd', 'plannedAt']);

/** A recorded value for people: times as dates, incident statuses in words, the rest as text. */
export function historyValue(field: string, value: string | number | null): string {
  if (value === null || value === '') return '—';
  if (timeFields.has(field) && Number.isFinite(Number(value))) return formatDateTime(Number(value));
  if (field === 'status' && hasText(`desk.status.${value}`)) return t(`desk.status.${value}`);
  return String(value);
}

/** One entry as a sentence: created, set, removed, or changed from → to. */
function describe(entry: HistoryEntry): string {
  const field = fieldName(entry.field);
  const from = historyValue(entry.field, entry.oldValue);
  const to = historyValue(entry.field, entry.newValue);
  if (entry.field === 'created') return t('desk.history.created');
  if (entry.oldValue === null || entry.oldValue === '') return t('desk.history.added', { field, to });
  if (entry.newValue === null || entry.newValue === '') return t('desk.history.removed', { field, from });
  return t('desk.history.changed', { field, from, to });
}

/** The full history of an object (incident, problem, change, release, CI): who changed what, when. */
export function History({ load, reloadKey }: { load: () => Promise<{ history: HistoryEntry[] }>; reloadKey: unknown }) {
  const history = useLoad(load, [reloadKey]);
  return (
    <details class="card history" data-testid="history">
      <summary>{t('desk.history.title')}</summary>
      <ErrorText error={history.error} />
      <ol>
        {history.data?.history.map((entry) => (
          <li key={entry.id}>
            <time class="muted">{formatDateTime(entry.at)}</time>{' '}
            <strong>{entry.actor?.displayName ?? t('desk.history.system')}</strong>{' '}
            {describe(entry)}
          </li>
        ))}
      </ol>
    </details>
  );
}
