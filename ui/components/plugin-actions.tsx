import { useState } from 'preact/hooks';
import { request, type Plugin } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { t } from '../i18n/index.js';
import { ErrorText } from './error-text.js';

/** One thing an admin can run from a plugin's settings card, backed by one of the plugin's own routes. */
interface PluginAction {
  label: string;
  path: string;
}

/** The actions of the plugins that ship with the appliance; outside plugins have none here. */
const actionsByPlugin: Record<string, PluginAction[]> = {
  ldap: [
    { label: 'plugins.ldap.test', path: '/api/v1/plugins/ldap/test' },
    { label: 'plugins.ldap.sync', path: '/api/v1/plugins/ldap/sync' },
  ],
  oidc: [{ label: 'plugins.oidc.test', path: '/api/v1/plugins/oidc/test' }],
};

/** What the LDAP routes answer: a sentence, and for a sync its counts. */
interface ActionResult {
  ok?: boolean;
  message?: string;
  steps?: string[];
  [count: string]: unknown;
}

const syncCounts = ['entries', 'created', 'updated', 'unchanged', 'disabled', 'skipped'] as const;

/** Buttons for a switched-on plugin's own actions (test the connection, sync now) and their answers. */
export function PluginActions({ plugin }: { plugin: Plugin }) {
  const actions = actionsByPlugin[plugin.id] ?? [];
  const action = useAction();
  const [result, setResult] = useState<ActionResult | null>(null);
  if (actions.length === 0) return null;
  if (!plugin.enabled) return <p class="muted">{t('plugins.actionsWhenOn')}</p>;

  const run = (path: string) => action.run(async () => {
    setResult(null);
    setResult(await request<ActionResult>('POST', path));
  });

  const counts = result ? syncCounts.filter((key) => typeof result[key] === 'number') : [];
  return (
    <section aria-label={t('plugins.actions')} data-testid="plugin-actions">
      <div class="row">
        {actions.map((a) => <button key={a.path} type="button" class="secondary" disabled={action.busy} onClick={() => void run(a.path)}>{t(a.label)}</button>)}
      </div>
      <ErrorText error={action.error} />
      {result && (
        <div role="status" data-testid="plugin-action-result" data-ok={String(result.ok !== false)} class={result.ok === false ? 'error' : 'ok'}>
          <p>{result.ok === false ? t('plugins.actionFailed') : t('plugins.actionDone')}{result.message ? `: ${result.message}` : ''}</p>
          {result.steps && <ul>{result.steps.map((step, i) => <li key={i}>{step}</li>)}</ul>}
          {counts.length > 0 && <p>{counts.map((key) => `${t(`plugins.ldap.count.${key}`)}: ${String(result[key])}`).join(' · ')}</p>}
        </div>
      )}
    </section>
  );
}
