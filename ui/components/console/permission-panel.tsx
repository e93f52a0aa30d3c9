import type { ConsentEntry } from '../../console/state.js';
import { t } from '../../i18n/index.js';

/** What a consent entry's state says, and whether it reads as good, bad or pending. */
function describe(entry: ConsentEntry): { text: string; tone: 'ok' | 'error' | 'pending' } {
  const capability = t(`console.capability.${entry.capability}`);
  const text = t(`console.consent.${entry.state}`, { capability, detail: entry.detail ?? '' });
  const tone = entry.state === 'granted' ? 'ok' : entry.state === 'waiting' || entry.state === 'asking-broker' ? 'pending' : 'error';
  return { text, tone };
}

interface Props {
  consents: ConsentEntry[];
  enabled: boolean;
  onDiagnostics: () => void;
  onSendFiles: (files: File[]) => void;
  onRequestFile: () => void;
}

/**
 * The technician's requests: diagnostics, a file for the customer, a file from the customer.
 * Each asks the broker for a grant first, then the customer; the latest answer is shown.
 */
export function PermissionPanel({ consents, enabled, onDiagnostics, onSendFiles, onRequestFile }: Props) {
  const latest = consents[consents.length - 1];
  const earlier = consents.slice(0, -1).reverse();
  function chosen(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) onSendFiles(files);
  }
  return (
    <section class="card permission-panel" aria-labelledby="perm-title">
      <h2 id="perm-title">{t('console.perm.title')}</h2>
      <p class="hint">{t('console.perm.hint')}</p>
      <div class="perm-actions">
        <button type="button" data-testid="request-diagnostics" disabled={!enabled} onClick={onDiagnostics}>{t('console.perm.diagnostics')}</button>
        <button type="button" data-testid="request-file" disabled={!enabled} onClick={onRequestFile}>{t('console.perm.requestFile')}</button>
        <div class="perm-file">
          <label for="send-file-input">{t('console.perm.sendFile')}</label>
          <input id="send-file-input" type="file" multiple data-testid="send-file-input" disabled={!enabled} onChange={chosen} />
        </div>
      </div>
      {latest && (
        <p class={`consent-status tone-${describe(latest).tone}`} data-testid="consent-status" data-state={latest.state} role="status">
          {describe(latest).text}
        </p>
      )}
      {earlier.length > 0 && (
        <details class="consent-history">
          <summary>{t('console.consent.earlier', { count: earlier.length })}</summary>
          <ul>
            {earlier.map((entry) => <li key={entry.requestId} data-state={entry.state}>{describe(entry).text}</li>)}
          </ul>
        </details>
      )}
    </section>
  );
}
