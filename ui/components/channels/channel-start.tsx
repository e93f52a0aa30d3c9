import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { t } from '../../i18n/index.js';
import { channelsApi, type Joined } from './api.js';

/** The PIN page opened from a channel link: one button starts support, no PIN needed. */
export function ChannelStart({ token, onJoined }: { token: string; onJoined: (joined: Joined) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const { joinCode, expiresAt, pin } = await channelsApi.start(token);
      onJoined({ joinCode, expiresAt, pin });
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setError(t('channels.start.rateLimited'));
      else if (e instanceof ApiError && e.status === 400) setError(t('channels.start.invalid'));
      else if (e instanceof ApiError) setError(e.message);
      else setError(t('pin.error.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="pin-card pin-form" aria-labelledby="channel-start-title">
      <h2 id="channel-start-title">{t('channels.start.title')}</h2>
      <p class="hint">{t('channels.start.hint')}</p>
      {error && <p class="error" role="alert" data-testid="channel-error">{error}</p>}
      <button type="button" data-testid="channel-start" disabled={busy} onClick={() => void start()}>{busy ? t('pin.checking') : t('channels.start.button')}</button>
    </section>
  );
}
