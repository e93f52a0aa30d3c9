import { ProgramStart } from './program-start.js';
import { t } from '../../i18n/index.js';
import type { Joined } from '../channels/api.js';

/**
 * The "Download the support program" way, in one place: the button on the choice page and
 * what it shows once chosen (program-start.tsx picks the program for the customer's computer).
 */

/** The choice page's button for the download way. */
export function DownloadOption({ onChoose }: { onChoose: () => void }) {
  return (
    <div class="pin-way">
      <button type="button" class="secondary" data-testid="help-download" onClick={onChoose}>{t('customer.choice.download')}</button>
      <p class="hint">{t('customer.choice.downloadHint')}</p>
    </div>
  );
}

/** The download way once chosen: the program for this computer and how to start it with this join. */
export function DownloadChoice({ joined, onBrowser }: { joined: Joined; onBrowser: () => void }) {
  return <ProgramStart joinCode={joined.joinCode} pin={joined.pin} expiresAt={joined.expiresAt} onBrowser={onBrowser} />;
}
