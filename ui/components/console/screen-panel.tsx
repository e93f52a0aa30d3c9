import { useEffect, useRef, useState } from 'preact/hooks';
import { bindScreenInput } from '../../console/screen-input.js';
import type { ScreenViewer, ScreenViewState } from '../../console/screen-view.js';
import { useStore } from '../../console/store.js';
import { t } from '../../i18n/index.js';

/** A readable rate: 1.2 MB/s, 830 KB/s. */
function rate(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB/s`;
  return `${Math.round(bytes / 1024)} KB/s`;
}

/** The line under the buttons: what runs, and why it changed. */
function statusText(state: ScreenViewState): string {
  if (state.reason === 'customer_input' && state.control === 'paused') return t('console.screen.pausedByCustomer');
  if (state.view === 'unavailable') return t('console.screen.unavailable', { detail: state.detail ?? '' });
  if (state.reason === 'customer_stopped') return t('console.screen.stoppedByCustomer');
  return t(`console.screen.view.${state.view}`) + (state.view === 'on' ? ` · ${t(`console.screen.control.${state.control}`)}` : '');
}

/**
 * The customer's screen in the technician console: view and control requests, the canvas
 * (scaled to fit or 1:1, full screen), the remote pointer, the screen picker, fps and data
 * rate. Mouse and keyboard on the canvas reach the customer only while control is active.
 */
export function ScreenPanel({ viewer, enabled }: { viewer: ScreenViewer; enabled: boolean }) {
  const state = useStore(viewer.store);
  const stage = useRef<HTMLDivElement>(null);
  const [fit, setFit] = useState(true);
  const [clip, setClip] = useState('');

  useEffect(() => {
    const holder = stage.current;
    if (!holder) return;
    viewer.canvas.dataset.testid = 'screen-canvas';
    viewer.canvas.tabIndex = 0;
    viewer.canvas.className = 'screen-canvas';
    viewer.cursorCanvas.className = 'screen-cursor';
    Object.assign(viewer.cursorCanvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', pointerEvents: 'none' });
    holder.append(viewer.canvas, viewer.cursorCanvas);
    viewer.start();
    const unbind = bindScreenInput(viewer.canvas, (message) => viewer.input(message));
    return () => {
      unbind();
      holder.replaceChildren();
    };
  }, [viewer]);

  useEffect(() => {
    Object.assign(viewer.canvas.style, fit ? { width: '100%', height: 'auto', display: 'block' } : { width: `${state.width}px`, height: `${state.height}px`, display: 'block' });
  }, [fit, state.width, state.height, viewer]);

  const viewing = state.view === 'on';
  const controlling = state.control === 'active' || state.control === 'paused';
  return (
    <section class="card screen-panel" aria-labelledby="screen-title" data-testid="screen-panel">
      <h2 id="screen-title">{t('console.screen.title')}</h2>
      <div class="perm-actions">
        {!viewing && <button type="button" data-testid="screen-request-view" disabled={!enabled || state.view === 'asking'} onClick={() => void viewer.requestView()}>{t('console.screen.requestView')}</button>}
        {viewing && <button type="button" data-testid="screen-stop-view" onClick={() => void viewer.stopView()}>{t('console.screen.stopView')}</button>}
        {viewing && !controlling && state.client !== 'browser' && <button type="button" data-testid="screen-request-control" disabled={!enabled || state.control === 'asking'} onClick={() => void viewer.requestControl()}>{t('console.screen.requestControl')}</button>}
        {controlling && <button type="button" data-testid="screen-stop-control" onClick={() => void viewer.stopControl()}>{t('console.screen.stopControl')}</button>}
        {viewing && state.screens.length > 1 && (
          <label>
            {t('console.screen.pick')}{' '}
            <select data-testid="screen-picker" value={state.selected ?? ''} onChange={(e) => void viewer.select((e.currentTarget as HTMLSelectElement).value)}>
              {state.screens.map((s) => <option key={s.id} value={s.id}>{`${s.name} (${s.width}×${s.height})`}</option>)}
            </select>
          </label>
        )}
        {viewing && <button type="button" data-testid="screen-scale" onClick={() => setFit(!fit)}>{fit ? t('console.screen.actualSize') : t('console.screen.fit')}</button>}
        {viewing && <button type="button" data-testid="screen-fullscreen" onClick={() => void stage.current?.parentElement?.requestFullscreen?.()}>{t('console.screen.fullscreen')}</button>}
      </div>
      {state.client === 'browser' && <p class="hint" data-testid="screen-browser-note">{t('console.screen.browserNoInput')}</p>}
      <p class="hint" role="status" data-testid="screen-status" data-view={state.view} data-control={state.control}>{statusText(state)}</p>
      {controlling && (
        <div class="perm-actions">
          <input type="text" data-testid="screen-clipboard-out" aria-label={t('console.screen.clipboardOut')} placeholder={t('console.screen.clipboardOut')} value={clip} onInput={(e) => setClip((e.currentTarget as HTMLInputElement).value)} />
          <button type="button" data-testid="screen-clipboard-send" disabled={!clip || state.control !== 'active'} onClick={() => void viewer.sendClipboard(clip).then(() => setClip(''))}>{t('console.screen.clipboardSend')}</button>
          {state.clipboard !== null && (
            <label>
              {t('console.screen.clipboardIn')}{' '}
              <input type="text" readOnly data-testid="screen-clipboard-in" value={state.clipboard} />
            </label>
          )}
        </div>
      )}
      {viewing && <p class="hint" data-testid="screen-stats">{t('console.screen.stats', { fps: state.fps, rate: rate(state.bytesPerSecond), width: state.width, height: state.height })}</p>}
      <div style={{ overflow: 'auto', maxHeight: fit ? undefined : '80vh', background: '#222', display: viewing ? 'block' : 'none' }}>
        <div ref={stage} style={{ position: 'relative', display: 'inline-block', width: fit ? '100%' : undefined, cursor: state.control === 'active' ? 'none' : 'default' }} />
      </div>
    </section>
  );
}
