import { useState } from 'preact/hooks';
import { pluginsApi, type Plugin } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { t } from '../i18n/index.js';
import { ErrorText } from './error-text.js';
import { PluginActions } from './plugin-actions.js';
import { Field } from './field.js';

/** A plugin's settings as a JSON text; the server checks them against the plugin's schema and says what is wrong. */
export function PluginSettings({ plugin, onSaved, onClose }: { plugin: Plugin; onSaved: () => void; onClose: () => void }) {
  const [text, setText] = useState(JSON.stringify(plugin.settings ?? {}, null, 2));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const id = `plugin-settings-${plugin.id}`;

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    let settings: unknown;
    try {
      settings = JSON.parse(text);
    } catch (e) {
      action.setError(new Error(t('plugins.invalidJson', { message: (e as Error).message })));
      return;
    }
    if (await action.run(() => pluginsApi.update(plugin.id, { settings }))) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('plugins.settingsOf', { name: plugin.name })}</h2>
      <Field id={id} label={t('plugins.settings')} hint={t('plugins.settingsHint')}>
        <textarea id={id} aria-describedby={`${id}-hint`} spellcheck={false} rows={12} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <details>
        <summary>{t('plugins.schema')}</summary>
        <pre>{JSON.stringify(plugin.settingsSchema, null, 2)}</pre>
      </details>
      <PluginActions plugin={plugin} />
      <ErrorText error={action.error} />
      {saved && <p class="ok" role="status">{t('plugins.saved')}</p>}
      <div class="row">
        <button type="submit" data-testid="plugin-settings-save" disabled={action.busy}>{t('common.save')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('common.close')}</button>
      </div>
    </form>
  );
}
