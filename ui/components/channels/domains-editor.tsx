import { useState } from 'preact/hooks';
import { pluginsApi } from '../../api/client.js';
import { useAction } from '../../api/hooks.js';
import { t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';

/**
 * The approved origins, one per line, saved as the domain-validation plugin's settings (only
 * account admins may change plugin settings; the server refuses everyone else).
 */
export function DomainsEditor({ domains, onSaved }: { domains: string[]; onSaved: () => void }) {
  const [text, setText] = useState(domains.join('\n'));
  const action = useAction();
  const save = (event: Event) => {
    event.preventDefault();
    const list = text.split('\n').map((line) => line.trim().replace(/\/$/, '')).filter(Boolean);
    void action.run(async () => {
      await pluginsApi.update('domain-validation', { settings: { domains: list } });
      onSaved();
    });
  };
  return (
    <form onSubmit={save}>
      <label for="snippet-domains-edit">{t('channels.snippet.editDomains')}</label>
      <p class="hint" id="snippet-domains-edit-hint">{t('channels.snippet.editDomainsHint')}</p>
      <textarea id="snippet-domains-edit" rows={4} aria-describedby="snippet-domains-edit-hint" data-testid="snippet-domains-edit" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <ErrorText error={action.error} />
      <button type="submit" class="secondary" data-testid="snippet-domains-save" disabled={action.busy}>{t('channels.snippet.saveDomains')}</button>
    </form>
  );
}
