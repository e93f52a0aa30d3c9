import { useLoad } from '../../api/hooks.js';
import type { HistoryEntry } from '../../desk/types.js';
import { formatDateTime, hasText, t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';

/** A field name for people, when the desk knows it. */
const fieldName = (field: string) => (hasText(`desk.field.${field}`) ? t(`desk.field.${field}`) : field);

/** The full history of an object (incident or CI): who changed which field from what to what. */
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
            {entry.field === 'created'
              ? t('desk.history.created')
              : t('desk.history.changed', { field: fieldName(entry.field), from: entry.oldValue ?? '—', to: entry.newValue ?? '—' })}
          </li>
        ))}
      </ol>
    </details>
  );
}
