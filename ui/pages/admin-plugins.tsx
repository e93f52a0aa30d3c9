import { useState } from 'preact/hooks';
import { pluginsApi, type Plugin } from '../api/client.js';
import { useAction, useLoad } from '../api/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { Page } from '../components/page.js';
import { PluginSettings } from '../components/plugin-settings.js';
import { PluginTable } from '../components/plugin-table.js';
import { PolicyTest } from '../components/policy-test.js';
import { t } from '../i18n/index.js';

/** Policy plugins: switch on and off, order the chain, edit settings, and test a policy. */
export function PluginsPage() {
  const plugins = useLoad(() => pluginsApi.list());
  const [editing, setEditing] = useState<string | null>(null);
  const action = useAction();
  const list = plugins.data?.plugins ?? [];

  const toggle = (plugin: Plugin, enabled: boolean) => void action.run(async () => {
    await pluginsApi.update(plugin.id, { enabled });
    await plugins.reload();
  });

  // Positions may tie or have gaps (disabled plugins sit at the end); after a move every
  // plugin gets its index as position, and only the ones that changed are sent.
  const move = (index: number, by: -1 | 1) => void action.run(async () => {
    const order = [...list];
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved!);
    for (const [position, plugin] of order.entries()) {
      if (plugin.position !== position) await pluginsApi.update(plugin.id, { position });
    }
    await plugins.reload();
  });

  const edited = list.find((p) => p.id === editing);
  return (
    <Page title={t('plugins.title')}>
      <p class="hint">{t('plugins.intro')}</p>
      <ErrorText error={plugins.error ?? action.error} />
      {plugins.data ? (
        <PluginTable plugins={list} busy={action.busy} actions={{ onToggle: toggle, onMove: move, onEdit: (p) => setEditing(p.id) }} />
      ) : (
        !plugins.error && <p class="muted">{t('common.loading')}</p>
      )}
      {edited && <PluginSettings key={edited.id} plugin={edited} onSaved={() => void plugins.reload()} onClose={() => setEditing(null)} />}
      <PolicyTest />
    </Page>
  );
}
