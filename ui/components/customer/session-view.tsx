import { useStore } from '../../console/store.js';
import type { PageModules } from '../../customer/capabilities.js';
import type { CustomerSession } from '../../customer/session.js';
import { customerOver, type CustomerState } from '../../customer/state.js';
import { t } from '../../i18n/index.js';
import { ChatPanel } from '../console/chat-panel.js';
import { ConsentPrompts } from './consent-prompts.js';
import { FileArea } from './file-area.js';
import { SwitchToAgent } from './switch-to-agent.js';

/** The session's state in words; the security code once keys are confirmed. */
function SessionStatus({ state }: { state: CustomerState }) {
  return (
    <section class="pin-card customer-status" aria-labelledby="customer-status-title">
      <h2 id="customer-status-title">{state.technician ? t('customer.technician', { name: state.technician }) : t('customer.technicianUnnamed')}</h2>
      <p role="status" data-testid="customer-phase" data-phase={state.phase}>{t(`customer.phase.${state.phase}`)}</p>
      {state.sas && !customerOver(state) && (
        <div class="customer-sas">
          <p>{t(state.rekeyed ? 'customer.sas.again' : 'customer.sas.compare')}</p>
          <output class="sas-code" data-testid="customer-sas" aria-label={t('customer.sas.label')}>{state.sas}</output>
        </div>
      )}
      {state.ended && <p data-testid="customer-ended" data-by={state.ended.by}>{t(`customer.ended.${['customer', 'technician', 'handover'].includes(state.ended.by) ? state.ended.by : 'other'}`)}</p>}
      {state.alert && <p class="error" role="alert" data-testid="customer-alert">{t('customer.alert', { code: state.alert.code })}</p>}
      {state.error && <p class="error" role="alert">{state.error}</p>}
    </section>
  );
}

/** The customer's whole session page: who helps, the code, requests, chat, files, and the end. */
export function CustomerSessionView({ session }: { session: CustomerSession<PageModules> }) {
  const state = useStore(session.store);
  const over = customerOver(state);
  return (
    <div class="customer-session" data-testid="customer-session">
      <SessionStatus state={state} />
      {state.sharing && (
        <section class="pin-card customer-sharing" role="status" aria-labelledby="customer-sharing-title" data-testid="customer-sharing">
          <h2 id="customer-sharing-title">{t('customer.screen.sharing')}</h2>
          <button type="button" class="danger" data-testid="customer-stop-sharing" onClick={() => void session.modules.screen.stopSharing()}>{t('customer.screen.stop')}</button>
        </section>
      )}
      <ConsentPrompts state={state} onAnswer={(id, answer) => session.answer(id, answer)} />
      <ChatPanel lines={state.chat} enabled={state.phase === 'connected'} onSend={(text) => session.chat(text)} words="customer.chat" />
      <FileArea transfers={state.transfers} enabled={state.phase === 'connected'} onSend={(file) => void session.modules.files.send(file)} onCancel={(id) => void session.modules.files.cancel(id)} />
      {!over && (
        <div class="customer-actions">
          <button type="button" class="danger" data-testid="customer-end" onClick={() => void session.end()}>{t('customer.end')}</button>
          <p class="hint">{t('customer.endHint')}</p>
        </div>
      )}
      {!over && state.phase === 'connected' && <SwitchToAgent session={session} />}
    </div>
  );
}
