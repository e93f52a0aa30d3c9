import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { formatDateTime } from '../../console/format.js';
import { rememberPin } from '../../console/pins.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { ErrorText } from '../error-text.js';
import { channelsApi, type QueuedSession } from './api.js';

const REFRESH_MS = 3_000;

/**
 * Sessions customers started from a channel link, waiting in the queues of this technician's
 * groups. "Pick up" makes one this technician's (once) and brings its session code for the
 * end-to-end handshake. Hidden while the company-pin plugin is off.
 */
export function QueueList() {
  const [sessions, setSessions] = useState<QueuedSession[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [off, setOff] = useState(false);

  async function load() {
    try {
      setSessions((await channelsApi.queue()).sessions);
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setOff(true);
      else setError(e);
    }
  }

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  async function pickUp(id: string) {
    try {
      const { sessionId, pin } = await channelsApi.claim(id);
      rememberPin(sessionId, pin);
      navigate(`/console/session/${sessionId}`);
    } catch (e) {
      setError(e);
      void load();
    }
  }

  if (off) return null;
  return (
    <section class="card session-list" aria-labelledby="queue-title" data-testid="channel-queue">
      <h2 id="queue-title">{t('channels.queue.title')}</h2>
      <ErrorText error={error} />
      {sessions?.length === 0 && <p class="hint">{t('channels.queue.empty')}</p>}
      {sessions && sessions.length > 0 && (
        <div class="console-table-scroll">
          <table>
            <thead>
              <tr><th>{t('channels.queue.group')}</th><th>{t('channels.queue.link')}</th><th>{t('console.list.created')}</th><th>{t('console.list.customer')}</th><th><span class="console-sr-only">{t('console.list.actions')}</span></th></tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid="queue-row" data-session-id={s.id}>
                  <td>{s.groupName}</td>
                  <td>{s.linkName}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{[s.customer.hostname, s.customer.os].filter(Boolean).join(' ') || (s.agentConnected ? t('console.list.agentIn') : t('channels.queue.noAgent'))}</td>
                  <td><button type="button" data-testid="queue-pick-up" onClick={() => void pickUp(s.id)}>{t('channels.queue.pickUp')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
