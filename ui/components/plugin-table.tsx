import type { Plugin } from '../api/client.js';
import { hasText, t } from '../i18n/index.js';

/** What the plugin table asks its page to do. */
export interface PluginTableActions {
  onToggle: (plugin: Plugin, enabled: boolean) => void;
  onMove: (index: number, by: -1 | 1) => void;
  onEdit: (plugin: Plugin) => void;
}

/** A hook's translated name; a hook the UI does not know yet shows its id. */
const hookLabel = (hook: string): string => (hasText(`plugins.hook.${hook}`) ? t(`plugins.hook.${hook}`) : hook);

/** Where the plugin's state comes from: the configuration, or a change in the console (which wins). */
function SourceBadge({ source }: { source: Plugin['source'] }) {
  return <span class={source === 'console' ? 'badge warn' : 'badge'} data-testid="plugin-source" title={t(`plugins.sourceHint.${source}`)}>{t(`plugins.source.${source}`)}</span>;
}

/** Plugins in chain order: the first one asks first. */
export function PluginTable({ plugins, busy, actions }: { plugins: Plugin[]; busy: boolean; actions: PluginTableActions }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{t('plugins.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plugins.order')}</th><th scope="col">{t('plugins.test.plugin')}</th><th scope="col">{t('plugins.hooks')}</th>
            <th scope="col">{t('plugins.sourceColumn')}</th><th scope="col">{t('plugins.enabled')}</th><th scope="col"><span class="sr-only">{t('admin.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          {plugins.map((plugin, index) => (
            <tr key={plugin.id} data-testid="plugin-row" data-plugin={plugin.id}>
              <td class="num">{index + 1}</td>
              <td>
                <strong>{plugin.name}</strong> <code class="muted">{plugin.id}</code>
                <div class="muted small-text">{plugin.description}</div>
              </td>
              <td>{plugin.hooks.map((h) => <span key={h} class="badge" title={h}>{hookLabel(h)}</span>)}</td>
              <td><SourceBadge source={plugin.source} /></td>
              <td>
                <label class="switch" for={`plugin-enabled-${plugin.id}`}>
                  <input id={`plugin-enabled-${plugin.id}`} type="checkbox" checked={plugin.enabled} disabled={busy} onChange={(e) => actions.onToggle(plugin, e.currentTarget.checked)} />
                  <span>{plugin.enabled ? t('plugins.on') : t('plugins.off')}</span>
                  <span class="sr-only">{plugin.name}</span>
                </label>
              </td>
              <td class="actions-cell">
                <button type="button" class="secondary small icon" disabled={busy || index === 0} aria-label={t('plugins.up', { name: plugin.name })} title={t('plugins.up', { name: plugin.name })} onClick={() => actions.onMove(index, -1)}>↑</button>
                <button type="button" class="secondary small icon" disabled={busy || index === plugins.length - 1} aria-label={t('plugins.down', { name: plugin.name })} title={t('plugins.down', { name: plugin.name })} onClick={() => actions.onMove(index, 1)}>↓</button>
                <button type="button" class="secondary small" aria-label={t('plugins.settingsOf', { name: plugin.name })} onClick={() => actions.onEdit(plugin)}>{t('plugins.editSettings')}</button>
              </td>
            </tr>
          ))}
          {plugins.length === 0 && <tr><td colSpan={6} class="muted">{t('plugins.empty')}</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
