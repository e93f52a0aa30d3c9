import type { AuditEntry } from '../api/client.js';
import { formatDateTime, hasText, t } from '../i18n/index.js';

/** An outcome as a coloured badge; unknown outcomes show as they are. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  const tone = outcome === 'success' || outcome === 'allow' ? 'on' : outcome === 'failure' || outcome === 'denied' || outcome === 'deny' ? 'off' : 'neutral';
  const key = [`audit.outcome.${outcome}`, `plugins.outcome.${outcome}`].find(hasText);
  return <span class={`badge ${tone}`}>{key ? t(key) : outcome}</span>;
}

/** The details object in one line; long values wrap rather than widen the table. */
const details = (entry: AuditEntry): string => (Object.keys(entry.details ?? {}).length ? JSON.stringify(entry.details) : '');

/** Audit entries, newest first. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div class="table-wrap">
      <table class="audit">
        <caption class="sr-only">{t('audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th><th scope="col">{t('audit.col.time')}</th><th scope="col">{t('audit.col.action')}</th><th scope="col">{t('audit.col.outcome')}</th>
            <th scope="col">{t('audit.col.actor')}</th><th scope="col">{t('audit.col.ip')}</th><th scope="col">{t('audit.col.target')}</th><th scope="col">{t('audit.col.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq} data-testid="audit-row">
              <td class="num">{entry.seq}</td>
              <td class="nowrap">{formatDateTime(entry.at)}</td>
              <td><code>{entry.action}</code></td>
              <td><OutcomeBadge outcome={entry.outcome} /></td>
              <td>{entry.actorEmail ?? <span class="muted">—</span>}</td>
              <td class="nowrap">{entry.ip ?? <span class="muted">—</span>}</td>
              <td>{entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : <span class="muted">—</span>}</td>
              <td class="details"><code>{details(entry)}</code></td>
            </tr>
          ))}
          {entries.length === 0 && <tr><td colSpan={8} class="muted">{t('audit.none')}</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
