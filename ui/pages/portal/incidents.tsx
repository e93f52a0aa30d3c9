import { useState } from 'preact/hooks';
import { useLoad } from '../../api/hooks.js';
import { StatusBadge } from '../../components/desk/badges.js';
import { PortalTabs } from '../../components/desk/desk-tabs.js';
import { ErrorText } from '../../components/error-text.js';
import { Link } from '../../components/link.js';
import { Page } from '../../components/page.js';
import { portalApi } from '../../desk/portal-api.js';
import { formatDateTime, t } from '../../i18n/index.js';

const OPEN = 'new,assigned,in_progress,waiting_on_customer';

/** The customer's own incidents and their status; open ones first by default. */
export function PortalIncidentsPage() {
  const [status, setStatus] = useState(OPEN);
  const list = useLoad(() => portalApi.list(status || undefined), [status]);
  return (
    <Page title={t('portal.incidents.title')}>
      <PortalTabs />
      <div class="row">
        <label for="portal-status">{t('portal.incidents.show')}</label>
        <select id="portal-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value={OPEN}>{t('desk.filter.open')}</option>
          <option value="resolved,closed">{t('portal.incidents.done')}</option>
          <option value="">{t('desk.filter.any')}</option>
        </select>
        <Link href="/portal/new" class="button">{t('portal.nav.new')}</Link>
      </div>
      <ErrorText error={list.error} />
      <div class="table-wrap">
        <table data-testid="portal-incidents">
          <caption class="sr-only">{t('portal.incidents.title')}</caption>
          <thead><tr>
            <th scope="col">{t('desk.field.incident')}</th><th scope="col">{t('desk.field.status')}</th>
            <th scope="col">{t('desk.field.created')}</th><th scope="col">{t('desk.field.updated')}</th>
          </tr></thead>
          <tbody>
            {list.data?.incidents.map((incident) => (
              <tr key={incident.id} data-testid="portal-incident-row">
                <td><span class="ticket-number">{incident.ref}</span> <Link href={`/portal/incidents/${incident.id}`} class="ticket-title">{incident.title}</Link></td>
                <td><StatusBadge status={incident.status} /></td>
                <td class="nowrap">{formatDateTime(incident.createdAt)}</td>
                <td class="nowrap">{formatDateTime(incident.updatedAt)}</td>
              </tr>
            ))}
            {list.data?.incidents.length === 0 && <tr><td colSpan={4} class="muted">{t('portal.incidents.none')}</td></tr>}
            {!list.data && !list.error && <tr><td colSpan={4} class="muted">{t('common.loading')}</td></tr>}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
