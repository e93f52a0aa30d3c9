import { useState } from 'preact/hooks';
import { useAction, useLoad } from '../api/hooks.js';
import type { Me } from '../api/client.js';
import { channelsApi, snippetApi, type SnippetRequest } from '../components/channels/api.js';
import { DomainsEditor } from '../components/channels/domains-editor.js';
import { ErrorText } from '../components/error-text.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { t } from '../i18n/index.js';

const defaults: SnippetRequest = {
  origin: '', kind: 'pin',
  colours: { background: '#ffffff', text: '#1f2937', button: '#0b5cad', buttonText: '#ffffff' },
  texts: { title: 'Remote support', label: 'PIN from your technician', button: 'Start support' },
  script: false,
};

/** The PIN (or support) form for the company's own website: approved origins, branding, the HTML to paste. */
export function SnippetPage({ me }: { me: Me }) {
  const domains = useLoad(() => snippetApi.domains());
  const links = useLoad(() => channelsApi.links().catch(() => ({ links: [] })));
  const action = useAction();
  const [options, setOptions] = useState<SnippetRequest>(defaults);
  const [html, setHtml] = useState<string | null>(null);
  const set = (patch: Partial<SnippetRequest>) => setOptions({ ...options, ...patch });
  const origin = options.origin || domains.data?.domains[0] || '';

  const generate = (event: Event) => {
    event.preventDefault();
    void action.run(async () => setHtml((await snippetApi.generate({ ...options, origin })).html));
  };

  return (
    <Page title={t('channels.snippet.title')}>
      <p class="hint">{t('channels.snippet.intro')}</p>
      <ErrorText error={domains.error ?? action.error} />
      <section class="card">
        <h2>{t('channels.snippet.domains')}</h2>
        {domains.data && domains.data.domains.length === 0 && <p class="hint" data-testid="snippet-no-domains">{t('channels.snippet.noDomains')}</p>}
        <ul data-testid="snippet-domains">{domains.data?.domains.map((d) => <li key={d}><code>{d}</code></li>)}</ul>
        <p class="hint">{t('channels.snippet.domainsHint', { version: domains.data?.version ?? '' })}</p>
        {me.user.role === 'account_admin' && domains.data && <DomainsEditor key={domains.data.version} domains={domains.data.domains} onSaved={() => void domains.reload()} />}
      </section>
      <form class="card" onSubmit={generate}>
        <Field id="snippet-origin" label={t('channels.snippet.origin')}>
          <select id="snippet-origin" value={origin} onChange={(e) => set({ origin: e.currentTarget.value })}>
            {domains.data?.domains.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </Field>
        <Field id="snippet-kind" label={t('channels.snippet.kind')}>
          <select id="snippet-kind" value={options.kind} onChange={(e) => set({ kind: e.currentTarget.value as 'pin' | 'channel' })}>
            <option value="pin">{t('channels.snippet.kindPin')}</option>
            <option value="channel">{t('channels.snippet.kindChannel')}</option>
          </select>
        </Field>
        {options.kind === 'channel' && (
          <Field id="snippet-link" label={t('channels.snippet.link')}>
            <select id="snippet-link" value={options.channelToken ?? ''} onChange={(e) => set({ channelToken: e.currentTarget.value })}>
              <option value="">{t('channels.admin.chooseGroup')}</option>
              {links.data?.links.filter((l) => l.status === 'active').map((l) => <option key={l.id} value={l.token}>{l.name}</option>)}
            </select>
          </Field>
        )}
        {(['title', 'label', 'button'] as const).map((key) => (
          <Field key={key} id={`snippet-text-${key}`} label={t(`channels.snippet.text.${key}`)}>
            <input id={`snippet-text-${key}`} maxLength={100} value={options.texts[key]} onInput={(e) => set({ texts: { ...options.texts, [key]: e.currentTarget.value } })} />
          </Field>
        ))}
        {(['background', 'text', 'button', 'buttonText'] as const).map((key) => (
          <Field key={key} id={`snippet-colour-${key}`} label={t(`channels.snippet.colour.${key}`)}>
            <input id={`snippet-colour-${key}`} type="color" value={options.colours[key]} onInput={(e) => set({ colours: { ...options.colours, [key]: e.currentTarget.value } })} />
          </Field>
        ))}
        <label class="check"><input type="checkbox" checked={options.script} onChange={(e) => set({ script: e.currentTarget.checked })} /> {t('channels.snippet.script')}</label>
        <button type="submit" data-testid="snippet-generate" disabled={action.busy || !origin}>{t('channels.snippet.generate')}</button>
      </form>
      {html && (
        <section class="card">
          <h2>{t('channels.snippet.result')}</h2>
          <p class="hint">{t('channels.snippet.resultHint')}</p>
          <textarea readOnly rows={14} data-testid="snippet-html" value={html} />
        </section>
      )}
    </Page>
  );
}
