import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Me } from '../api/client.js';
import { ChatPanel } from '../components/console/chat-panel.js';
import { DiagnosticsToCmdb } from '../components/console/diagnostics-to-cmdb.js';
import { DiagnosticsView } from '../components/console/diagnostics-view.js';
import { PermissionPanel } from '../components/console/permission-panel.js';
import { PinEntry } from '../components/console/pin-entry.js';
import { ScreenPanel } from '../components/console/screen-panel.js';
import { EndBanner, StatusPanel } from '../components/console/status-panel.js';
import { TransferList } from '../components/console/transfer-list.js';
import { recallPin, rememberPin } from '../console/pins.js';
import { ScreenViewer } from '../console/screen-view.js';
import { ConsoleSession } from '../console/session.js';
import { isOver } from '../console/state.js';
import { useStore } from '../console/store.js';
import { checkCryptoSupport, type CryptoSupport } from '../console/support.js';
import { t } from '../i18n/index.js';
import { navigate } from '../router.js';


function BackLink() {
  const back = (event: MouseEvent) => {
    event.preventDefault();
    navigate('/console');
  };
  return <a href="/console" class="console-back" onClick={back}>{t('console.session.back')}</a>;
}

/** The live session: connection, SAS, chat, requests, files, diagnostics, end. */
function LiveSession({ me, sessionId, pin }: { me: Me; sessionId: string; pin: string }) {
  const session = useMemo(() => new ConsoleSession(sessionId, pin), [sessionId, pin]);
  const screen = useMemo(() => {
    const viewer = new ScreenViewer();
    viewer.connect(session.plug(viewer.handlers));
    return viewer;
  }, [session]);
  const state = useStore(session.store);
  const [ending, setEnding] = useState(false);

  useEffect(() => {
    session.start();
    return () => {
      screen.dispose();
      session.dispose();
    };
  }, [session, screen]);

  const over = isOver(state);
  // Requests need the customer's agent on the other end with confirmed keys.
  const ready = !over && state.sas !== null && state.phase === 'connected';
  const canChat = !over && state.sas !== null;

  async function end() {
    setEnding(true);
    await session.end();
    setEnding(false);
  }

  return (
    <>
      <EndBanner state={state} />
      <StatusPanel state={state} />
      <div class="console-columns">
        <ChatPanel lines={state.chat} enabled={canChat} onSend={(text) => session.chat(text)} />
        <div class="console-side">
          <PermissionPanel consents={state.consents} enabled={ready}
            onDiagnostics={() => void session.requestDiagnostics()}
            onRequestFile={() => void session.requestFile()}
            onSendFiles={(files) => files.forEach((file) => void session.sendFile(file))} />
          <TransferList transfers={state.transfers} onCancel={(id) => void session.cancelTransfer(id)} />
        </div>
      </div>
      <ScreenPanel viewer={screen} enabled={ready} />
      {state.diagnostics && <DiagnosticsView report={state.diagnostics} />}
      {state.diagnosticsReport && state.diagnostics?.source !== 'browser' && <DiagnosticsToCmdb me={me} sessionId={sessionId} report={state.diagnosticsReport} />}
      <div class="console-end">
        <button type="button" class="danger" data-testid="end-session" disabled={over || ending} onClick={() => void end()}>
          {t('console.session.end')}
        </button>
        <p class="hint">{t('console.session.endHint')}</p>
      </div>
    </>
  );
}

/** `/console/session/:id`: one support session in the technician's browser, end to end encrypted. */
export function SessionPage({ me, sessionId }: { me: Me; sessionId: string }) {
  const [pin, setPin] = useState(() => recallPin(sessionId));
  const [support, setSupport] = useState<CryptoSupport | null>(null);

  useEffect(() => {
    document.title = `${t('console.session.title')} – ${t('app.name')}`;
    void checkCryptoSupport().then(setSupport);
  }, []);

  function choosePin(value: string) {
    rememberPin(sessionId, value);
    setPin(value);
  }

  return (
    <div class="page console-session">
      <div class="page-head">
        <h1>{t('console.session.title')}</h1>
        <BackLink />
      </div>
      {support === 'insecure' && <p class="alert-banner" role="alert">{t('console.session.insecure')}</p>}
      {support === 'outdated' && <p class="alert-banner" role="alert">{t('console.session.outdated')}</p>}
      {support === 'ok' && !pin && <PinEntry onPin={choosePin} />}
      {support === 'ok' && pin && <LiveSession key={`${sessionId}:${pin}`} me={me} sessionId={sessionId} pin={pin} />}
    </div>
  );
}
