import { formatBytes } from '../../console/format.js';
import type { CustomerTransfer } from '../../customer/state.js';
import { t } from '../../i18n/index.js';

const running = (transfer: CustomerTransfer) => transfer.state === 'waiting' || transfer.state === 'receiving' || transfer.state === 'sending' || transfer.state === 'verifying';

/** One transfer: name, direction, progress, and the download link or the reason it failed. */
function TransferRow({ transfer, onCancel }: { transfer: CustomerTransfer; onCancel: () => void }) {
  const label = t(`customer.files.${transfer.direction}`, { name: transfer.name, size: formatBytes(transfer.size) });
  return (
    <li class="customer-transfer" data-testid="customer-transfer" data-state={transfer.state} data-direction={transfer.direction}>
      {transfer.url
        ? <a href={transfer.url} download={transfer.name} data-testid="customer-download">{t('customer.files.save', { name: transfer.name })}</a>
        : <span>{label}</span>}
      {running(transfer) && (
        <>
          <progress max={Math.max(transfer.size, 1)} value={transfer.bytes} aria-label={label} />
          <button type="button" class="secondary" data-testid="customer-transfer-cancel" onClick={onCancel}>{t('customer.files.cancel')}</button>
        </>
      )}
      {transfer.state === 'done' && !transfer.url && <span> — {t('customer.files.delivered')}</span>}
      {transfer.state === 'failed' && <span class="error"> — {t('customer.files.failed', { reason: transfer.reason ?? '' })}</span>}
    </li>
  );
}

/** The file area: the customer sends a file (or a photo, on a phone) and sees every transfer. */
export function FileArea({ transfers, enabled, onSend, onCancel }: { transfers: CustomerTransfer[]; enabled: boolean; onSend: (file: File) => void; onCancel: (transferId: string) => void }) {
  return (
    <section class="pin-card customer-files" aria-labelledby="customer-files-title">
      <h2 id="customer-files-title">{t('customer.files.title')}</h2>
      <label class="customer-file-pick">
        {t('customer.files.sendOwn')}
        <input type="file" data-testid="customer-send-file" disabled={!enabled}
          onChange={(e) => { for (const file of Array.from(e.currentTarget.files ?? [])) onSend(file); e.currentTarget.value = ''; }} />
      </label>
      {transfers.length > 0 && (
        <ul class="customer-transfer-list" aria-live="polite">
          {transfers.map((transfer) => <TransferRow key={transfer.transferId} transfer={transfer} onCancel={() => onCancel(transfer.transferId)} />)}
        </ul>
      )}
    </section>
  );
}
