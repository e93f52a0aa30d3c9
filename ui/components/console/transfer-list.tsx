import { formatBytes } from '../../console/format.js';
import type { Transfer } from '../../console/state.js';
import { t } from '../../i18n/index.js';

const running = new Set<Transfer['state']>(['offered', 'sending', 'receiving']);

/** A failure reason in words: known keys are translated, anything else is shown as sent. */
function reasonText(reason = 'failed'): string {
  const key = `console.reason.${reason}`;
  return t(key) === key ? reason : t(key);
}

function stateText(transfer: Transfer): string {
  const percent = transfer.size > 0 ? Math.floor((transfer.bytes / transfer.size) * 100) : 100;
  if (transfer.state === 'failed') return t('console.transfer.failed', { reason: reasonText(transfer.reason) });
  if (transfer.state === 'done') return t(transfer.direction === 'to-customer' ? 'console.transfer.delivered' : 'console.transfer.verified');
  return t(`console.transfer.${transfer.state}`, { percent });
}

/** One transfer: direction, name, size, a progress bar, its state, and the download once verified. */
function TransferItem({ transfer, onCancel }: { transfer: Transfer; onCancel: (id: string) => void }) {
  const done = transfer.state === 'done';
  return (
    <li class={`transfer transfer-${transfer.state}`} data-testid="transfer" data-direction={transfer.direction} data-state={transfer.state}>
      <div class="transfer-head">
        <span class="transfer-direction">{t(`console.transfer.${transfer.direction}`)}</span>
        <strong class="transfer-name">{transfer.name}</strong>
        <span class="transfer-size">{formatBytes(transfer.size)}</span>
      </div>
      <progress data-testid="transfer-progress" max={Math.max(transfer.size, 1)} value={done ? Math.max(transfer.size, 1) : transfer.bytes}
        aria-label={t('console.transfer.progress', { name: transfer.name })} />
      <div class="transfer-foot">
        <span class={transfer.state === 'failed' ? 'error' : done ? 'ok' : 'hint'}>{stateText(transfer)}</span>
        {done && transfer.url && (
          <a class="received-file" data-testid="received-file" href={transfer.url} download={transfer.name}>{transfer.name}</a>
        )}
        {running.has(transfer.state) && (
          <button type="button" class="secondary console-small-button" onClick={() => onCancel(transfer.transferId)}>{t('console.transfer.cancel')}</button>
        )}
      </div>
    </li>
  );
}

/** Files both ways, newest first. */
export function TransferList({ transfers, onCancel }: { transfers: Transfer[]; onCancel: (id: string) => void }) {
  return (
    <section class="card transfer-list" aria-labelledby="files-title">
      <h2 id="files-title">{t('console.files.title')}</h2>
      {transfers.length === 0 ? <p class="hint">{t('console.files.empty')}</p> : (
        <ul class="console-transfers">
          {[...transfers].reverse().map((transfer) => <TransferItem key={transfer.transferId} transfer={transfer} onCancel={onCancel} />)}
        </ul>
      )}
    </section>
  );
}
