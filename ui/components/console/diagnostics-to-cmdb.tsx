import { useState } from 'preact/hooks';
import { request, type Me } from '../../api/client.js';
import { useAction } from '../../api/hooks.js';
import { mayUseDesk } from '../../desk/access.js';
import { t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';
import { Link } from '../link.js';

/**
 * Saves the customer's computer to the CMDB from the diagnostics they agreed to share. The
 * broker checks that this technician runs the session and that the customer consented.
 */
export function DiagnosticsToCmdb({ me, sessionId, report }: { me: Me; sessionId: string; report: Record<string, unknown> }) {
  const action = useAction();
  const [saved, setSaved] = useState<{ id: string; name: string; created: boolean } | null>(null);
  if (!mayUseDesk(me)) return null;

  const save = () => action.run(async () => {
    const answer = await request<{ ci: { id: string; name: string }; created: boolean }>('POST', `/api/v1/desk/sessions/${encodeURIComponent(sessionId)}/diagnostics-ci`, { report });
    setSaved({ ...answer.ci, created: answer.created });
  });

  return (
    <div class="row" data-testid="diagnostics-cmdb">
      <button type="button" class="secondary" disabled={action.busy} onClick={() => void save()}>{t('console.diagnostics.saveToCmdb')}</button>
      <ErrorText error={action.error} />
      {saved && (
        <p class="ok" role="status">
          {t(saved.created ? 'console.diagnostics.ciCreated' : 'console.diagnostics.ciUpdated')}{' '}
          <Link href={`/desk/cmdb/${saved.id}`}>{saved.name}</Link>
        </p>
      )}
    </div>
  );
}
