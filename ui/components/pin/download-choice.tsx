import { AgentStart } from '../console/agent-start.js';
import { t } from '../../i18n/index.js';
import type { Joined } from '../channels/api.js';

/**
 * The "Download the support program" way, in one place: the button on the choice page and
 * what it shows once chosen. Which program to offer (per platform) is decided here and only
 * here, so the download choice can grow without touching the rest of the PIN page.
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

/** The download way once chosen: the program and its start command for this join. */
export function DownloadChoice({ joined }: { joined: Joined }) {
  return <AgentStart joinCode={joined.joinCode} pin={joined.pin} expiresAt={joined.expiresAt} />;
}
