import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { rememberPin } from '../../console/pins.js';
import { incidentsApi } from '../../desk/api.js';
import type { IncidentDetail } from '../../desk/types.js';
import { formatDateTime, hasText, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { NewSessionPin, type CreatedSession } from '../console/new-session.js';
import { ErrorText } from '../error-text.js';

/**
 * "Start a remote session for this incident": the server opens a support session tied to the
 * incident and answers its PIN, shown here as on the console (and kept in this tab for the
 * session page's handshake). After the session, the server adds its summary as an internal note.
 */
export function RemoteSession({ incidentId, sessions, onStarted }: { incidentId: string; sessions: IncidentDetail['sessions']; onStarted: () => void }) {
  const [created, setCreated] = useState<CreatedSession | null>(null);
  const action = useAction();
  const start = () => void action.run(async () => {
    const { session, pin } = await incidentsApi.remoteSession(incidentId);
    rememberPin(session.id, pin);
    setCreated({ id: session.id, pin, expiresAt: session.expiresAt });
    onStarted();
  });
  return (
    <section class="card" aria-labelledby="remote-title">
      <h2 id="remote-title">{t('desk.remote.title')}</h2>
      <p class="hint">{t('desk.remote.hint')}</p>
      <button type="button" data-testid="incident-remote-session" disabled={action.busy} onClick={start}>{t('desk.remote.start')}</button>
      <ErrorText error={action.error} />
      {created && <div class="session-pin-box"><NewSessionPin created={created} onJoin={() => navigate(`/console/session/${created.id}`)} /></div>}
      {sessions.length > 0 && (
        <>
          <h3>{t('desk.remote.sessions')}</h3>
          <ul class="link-list" data-testid="incident-sessions">
            {sessions.map((s) => (
              <li key={s.sessionId}>{formatDateTime(s.createdAt)} · {hasText(`console.status.${s.status}`) ? t(`console.status.${s.status}`) : s.status}{s.endedAt ? ` · ${formatDateTime(s.endedAt)}` : ''}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
