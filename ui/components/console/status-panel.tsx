import { t } from '../../i18n/index.js';
import { isOver, type SessionState } from '../../console/state.js';

/**
 * Where the connection stands, and the short authentication string both people compare: if
 * the customer's agent shows another code, someone is in the middle.
 */
export function StatusPanel({ state }: { state: SessionState }) {
  const over = isOver(state);
  return (
    <section class="card console-status" aria-labelledby="console-status-title">
      <h2 id="console-status-title" class="console-sr-only">{t('console.statusPanel.title')}</h2>
      <p class={`console-phase phase-${state.phase}`} data-testid="connection-state" data-phase={state.phase} role="status">
        <span class="console-dot" aria-hidden="true" />
        {t(`console.phase.${state.phase}`)}
      </p>
      {!over && state.sas && (
        <div class="sas-box">
          <span class="sas-label" id="sas-label">{t('console.sas.label')}</span>
          <strong class="sas-code" data-testid="sas" aria-labelledby="sas-label">{state.sas}</strong>
          <p class="sas-hint">{t('console.sas.hint')}</p>
          {state.rekeyed && <p class="sas-rekeyed" role="alert">{t('console.sas.rekeyed')}</p>}
        </div>
      )}
      {!over && !state.sas && <p class="hint">{t('console.sas.pending')}</p>}
      {state.error && <p class="error" role="alert">{t('console.error', { message: state.error })}</p>}
    </section>
  );
}

/** The red banner after a protocol alert, or the notice that the session is over. */
export function EndBanner({ state }: { state: SessionState }) {
  if (state.alert) {
    return (
      <div class="alert-banner" role="alert" data-testid="security-alert">
        <p>{t('console.alert.text', { code: state.alert.code })}</p>
        <p class="alert-hint">{t(state.alert.code === 'pin_mismatch' ? 'console.alert.pinHint' : 'console.alert.hint')}</p>
      </div>
    );
  }
  if (!state.ended) return null;
  const { by, reason } = state.ended;
  const key = by === 'customer' ? 'console.ended.customer' : by === 'technician' ? 'console.ended.technician'
    : reason === 'replaced' ? 'console.ended.replaced' : 'console.ended.other';
  return <div class={`session-ended ended-${by}`} role="status" data-testid="session-ended" data-by={by}>{t(key)}</div>;
}
