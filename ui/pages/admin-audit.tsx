import { useEffect, useState } from 'preact/hooks';
import { auditApi, type AuditEntry, type AuditFilters, type AuditVerification } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { AuditFilterForm } from '../components/audit-filters.js';
import { AuditTable } from '../components/audit-table.js';
import { ErrorText } from '../components/error-text.js';
import { Page } from '../components/page.js';
import { t } from '../i18n/index.js';

const PAGE_SIZE = 100;

/** The result of the chain check, in words. */
function Verification({ result }: { result: AuditVerification }) {
  if (result.ok) return <p class="ok" role="status">{t('audit.verifyOk', { entries: result.entries })}</p>;
  return <p class="error" role="alert">{t('audit.verifyBroken', { seq: result.brokenAt ?? '?', problem: result.problem ?? '' })}</p>;
}

/** The audit log: filters, newest entries first with "older" paging, CSV export and chain check. */
export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const loading = useAction();
  const verifying = useAction();

  async function load(before?: number) {
    await loading.run(async () => {
      const page = await auditApi.list({ ...filters, limit: PAGE_SIZE, before });
      setEntries((shown) => (before && shown ? [...shown, ...page.entries] : page.entries));
      setNextBefore(page.nextBefore);
    });
  }

  useEffect(() => void load(), [filters]);

  const verify = () => void verifying.run(async () => setVerification(await auditApi.verify()));

  const actions = (
    <>
      <a class="button secondary" href={auditApi.csvUrl(filters)} download="audit-log.csv" data-testid="audit-csv">{t('audit.export')}</a>
      <button type="button" data-testid="audit-verify" disabled={verifying.busy} onClick={verify}>{t('audit.verify')}</button>
    </>
  );

  return (
    <Page title={t('audit.title')} actions={actions}>
      {verification && <Verification result={verification} />}
      <ErrorText error={verifying.error ?? loading.error} />
      <AuditFilterForm onApply={setFilters} />
      {entries ? <AuditTable entries={entries} /> : <p class="muted">{t('common.loading')}</p>}
      {nextBefore !== null && (
        <div class="row more">
          <button type="button" class="secondary" disabled={loading.busy} onClick={() => void load(nextBefore)}>{t('audit.more')}</button>
        </div>
      )}
    </Page>
  );
}
