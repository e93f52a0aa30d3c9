import { useEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../../api/client.js';
import { sessionsApi, type SupportSession } from '../../console/api.js';
import { formatDateTime, formatTime } from '../../console/format.js';
import { forgetPinsExcept } from '../../console/pins.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { ErrorText } from '../error-text.js';

/** How often the list is fetched again. */
const REFRESH_MS = 3_000;

function customerText(session: SupportSession): string {
  const { hostname, os } = session.customer;
  if (hostname || os) return [hostname, os && `(${os})`].filter(Boolean).join(' ');
  return session.status === 'waiting' ? t('console.list.noCustomerYet') : t('console.list.unknownHost');
}

function SessionRow({ session, mine }: { session: SupportSession; mine: boolean }) {
  const waiting = session.status === 'waiting';
  return (
    <tr data-testid="session-row" data-session-id={session.id} data-status={session.status}>
      <td><span class={`badge status-${session.status}`}>{t(`console.status.${session.status}`)}</span></td>
      <td>{formatDateTime(session.createdAt)}</td>
      <td>{customerText(session)}</td>
      <td>{session.redeemedIp ? <code>{session.redeemedIp}</code> : '—'}</td>
      <td>{waiting ? t('console.list.pinUntil', { time: formatTime(session.expiresAt) }) : session.agentConnected ? t('console.list.agentIn') : '—'}</td>
      <td>
        {mine
          ? <button type="button" data-testid="session-join" onClick={() => navigate(`/console/session/${session.id}`)}>{t('console.list.join')}</button>
          : <span class="hint">{t('console.list.otherTechnician')}</span>}
      </td>
    </tr>
  );
}

/** Waiting and active sessions, refreshed every few seconds; "Join" opens the session page. */
export function SessionList({ me, refreshKey }: { me: Me; refreshKey: string | null }) {
  const [sessions, setSessions] = useState<SupportSession[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A list fetched before the newest session was created must not make this tab forget its PIN.
  const createdAt = useRef(0);

  useEffect(() => {
    createdAt.current = Date.now();
    let stopped = false;
    async function load() {
      const started = Date.now();
      try {
        const list = (await sessionsApi.list()).sessions;
        if (stopped) return;
        setSessions(list);
        setError(null);
        if (started > createdAt.current) forgetPinsExcept(list.map((s) => s.id));
      } catch (e) {
        if (!stopped) setError(e);
      }
    }
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [refreshKey]);

  return (
    <section class="card session-list" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('console.list.title')}</h2>
      <ErrorText error={error} />
      {sessions === null && !error && <p class="hint" role="status">{t('console.list.loading')}</p>}
      {sessions?.length === 0 && <p class="hint">{t('console.list.empty')}</p>}
      {sessions && sessions.length > 0 && (
        <div class="console-table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('console.list.status')}</th><th>{t('console.list.created')}</th><th>{t('console.list.customer')}</th>
                <th>{t('console.list.ip')}</th><th>{t('console.list.state')}</th><th><span class="console-sr-only">{t('console.list.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => <SessionRow key={s.id} session={s} mine={s.technicianId === me.user.id} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
