import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../api/client.js';
import { NewSessionPin, type CreatedSession } from '../components/console/new-session.js';
import { SessionList } from '../components/console/session-list.js';
import { QueueList } from '../components/channels/queue-list.js';
import { createLockedSession, LockSelect, type PinLock } from '../components/channels/lock-select.js';
import { ErrorText } from '../components/error-text.js';
import { rememberPin } from '../console/pins.js';
import { t } from '../i18n/index.js';
import { navigate } from '../router.js';

/**
 * The technician's home: open a new support session (its PIN goes to the customer by phone)
 * and see the waiting and active ones. The PIN stays in this tab for the session page, which
 * needs it for the end-to-end handshake.
 */
export function ConsolePage({ me }: { me: Me }) {
  const [created, setCreated] = useState<CreatedSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [lock, setLock] = useState<PinLock>('');

  useEffect(() => {
    document.title = `${t('console.home.title')} – ${t('app.name')}`;
  }, []);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const { id, pin, expiresAt } = await createLockedSession(lock);
      rememberPin(id, pin);
      setCreated({ id, pin, expiresAt });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page console-home">
      <div class="page-head">
        <h1>{t('console.home.title')}</h1>
      </div>
      <section class="card new-session" aria-labelledby="new-session-title">
        <h2 id="new-session-title">{t('console.home.newTitle')}</h2>
        <p class="hint">{t('console.home.newHint')}</p>
        <LockSelect value={lock} onChange={setLock} />
        <button type="button" data-testid="new-session" disabled={busy} onClick={() => void create()}>{t('console.home.new')}</button>
        <ErrorText error={error} />
        {created && <NewSessionPin created={created} onJoin={() => navigate(`/console/session/${created.id}`)} />}
      </section>
      <QueueList />
      <SessionList me={me} refreshKey={created?.id ?? null} />
    </div>
  );
}
