import { useState } from 'preact/hooks';
import { hookNames, request, roles, type HookName, type PolicyExplanation, type Role } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { hasText, t } from '../i18n/index.js';
import { OutcomeBadge } from './audit-table.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';

/** Everything POST /policy/explain accepts as the made-up request. */
export interface ExplainContext {
  email?: string;
  role?: Role;
  ip?: string;
  at?: number;
  channel?: string;
  pin?: string;
  permission?: string;
  code?: string;
  pinChannel?: string;
  origin?: string;
  formToken?: string;
  companyId?: string;
}

/** The explanation with the facts plugins added on the way. */
type Explained = PolicyExplanation & { facts?: Record<string, Record<string, unknown>> };

/** Runs the pipeline as a dry run: the server writes nothing, and plugins are told so. */
export const explainPolicy = (hook: HookName, context: ExplainContext): Promise<Explained> => request<Explained>('POST', '/api/v1/policy/explain', { hook, context });

/** Which fields besides who and where each hook uses. */
const hookFields: Record<HookName, (keyof ExplainContext)[]> = {
  technicianLogin: ['email', 'role', 'code'],
  pinIssue: ['email', 'role'],
  pinRedeem: ['email', 'pin', 'pinChannel', 'origin', 'formToken', 'companyId'],
  agentConnect: [],
  permissionRequest: ['email', 'role', 'permission'],
};

const suggestions = {
  channel: ['console', 'api', 'pin-page', 'agent'],
  pinChannel: ['pin-page', 'web-form', 'agent'],
  permission: ['remote_view', 'remote_control', 'file_transfer', 'diagnostics', 'unattended_access', 'reports', 'service_desk'],
};

/** A verdict's reason: the translated code where a text exists, with the plugin's own words (the detail an admin tests for). */
function Reason({ code, reason }: { code?: string | undefined; reason?: string | undefined }) {
  const translated = code && hasText(`policy.${code}`) ? t(`policy.${code}`) : '';
  if (!translated && !reason) return <>—</>;
  return (
    <>
      {translated || reason}
      {translated && reason && translated !== reason && <><br /><span class="muted small-text">{reason}</span></>}
    </>
  );
}

/** The pipeline's verdict and each plugin's step. */
function Explanation({ result }: { result: Explained }) {
  const { decision, trace } = result;
  const facts = Object.entries(result.facts ?? {});
  return (
    <div class="result" role="status" data-testid="policy-result">
      <p data-testid="policy-decision" data-outcome={decision.outcome}>
        {t('plugins.test.decision')} <OutcomeBadge outcome={decision.outcome} />
        {decision.code && <> <code>{decision.code}</code></>} <Reason code={decision.code} reason={decision.reason} />
      </p>
      <table data-testid="policy-trace">
        <caption class="sr-only">{t('plugins.test.trace')}</caption>
        <thead>
          <tr><th scope="col">{t('plugins.test.plugin')}</th><th scope="col">{t('plugins.test.outcome')}</th><th scope="col">{t('plugins.test.denyCode')}</th><th scope="col">{t('plugins.test.reason')}</th><th scope="col">{t('plugins.test.ms')}</th></tr>
        </thead>
        <tbody>
          {trace.map((step, i) => (
            <tr key={i} data-testid="policy-step" data-plugin={step.plugin}>
              <td><code>{step.plugin}</code></td><td><OutcomeBadge outcome={step.outcome} /></td><td>{step.code ? <code>{step.code}</code> : '—'}</td>
              <td><Reason code={step.code} reason={step.reason} /></td><td class="num">{step.ms}</td>
            </tr>
          ))}
          {trace.length === 0 && <tr><td colSpan={5} class="muted">{t('plugins.test.noTrace')}</td></tr>}
        </tbody>
      </table>
      {facts.length > 0 && (
        <details>
          <summary>{t('plugins.test.facts')}</summary>
          <pre><code>{JSON.stringify(Object.fromEntries(facts), null, 2)}</code></pre>
        </details>
      )}
    </div>
  );
}

/** A text input with an optional list of suggestions. */
function TextField({ id, label, hint, value, onInput, list, type = 'text' }: { id: string; label: string; hint?: string; value: string; onInput: (v: string) => void; list?: string[]; type?: string }) {
  return (
    <Field id={id} label={label} {...(hint && { hint })}>
      <input id={id} type={type} value={value} list={list ? `${id}-list` : undefined} aria-describedby={hint ? `${id}-hint` : undefined} onInput={(e) => onInput(e.currentTarget.value)} />
      {list && <datalist id={`${id}-list`}>{list.map((v) => <option key={v} value={v} />)}</datalist>}
    </Field>
  );
}

/** The request's context from the form's text fields: empty means "not given". */
function contextOf(hook: HookName, form: Record<string, string>): ExplainContext {
  const context: ExplainContext = {};
  const used = new Set<string>(['ip', 'channel', ...hookFields[hook]]);
  for (const [key, value] of Object.entries(form)) {
    if (!used.has(key) || value.trim() === '') continue;
    (context as Record<string, unknown>)[key] = value.trim();
  }
  if (form.at) {
    const at = new Date(form.at).getTime();
    if (Number.isFinite(at)) context.at = at;
  }
  return context;
}

/**
 * "Test a policy": runs the pipeline for a made-up request without side effects and shows the
 * trace. On its own page the page's heading names it, so the card's own heading is left out.
 */
export function PolicyTest({ heading = true }: { heading?: boolean }) {
  const [hook, setHook] = useState<HookName>('technicianLogin');
  const [form, setForm] = useState<Record<string, string>>({ ip: '127.0.0.1' });
  const [result, setResult] = useState<Explained | null>(null);
  const action = useAction();
  const fields = new Set(hookFields[hook]);
  const bind = (key: string) => ({ value: form[key] ?? '', onInput: (v: string) => setForm({ ...form, [key]: v }) });

  async function submit(event: Event) {
    event.preventDefault();
    await action.run(async () => setResult(await explainPolicy(hook, contextOf(hook, form))));
  }

  return (
    <section class="card" aria-label={t('plugins.test.title')}>
      {heading && <h2>{t('plugins.test.title')}</h2>}
      {heading && <p class="hint">{t('plugins.test.intro')}</p>}
      <p class="hint" data-testid="policy-no-side-effects"><span class="badge warn">{t('plugins.test.dryRun')}</span> {t('plugins.test.noSideEffects')}</p>
      <form class="inline-form" onSubmit={submit}>
        <Field id="policy-hook" label={t('plugins.test.hook')}>
          <select id="policy-hook" value={hook} onChange={(e) => setHook(e.currentTarget.value as HookName)}>
            {hookNames.map((h) => <option key={h} value={h}>{t(`plugins.hook.${h}`)}</option>)}
          </select>
        </Field>
        {fields.has('email') && <TextField id="policy-email" type="email" label={t(hook === 'pinRedeem' ? 'plugins.test.pinTechnician' : 'plugins.test.email')} {...bind('email')} />}
        {fields.has('role') && (
          <Field id="policy-role" label={t('plugins.test.role')}>
            <select id="policy-role" value={form.role ?? ''} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
              <option value="">{t('plugins.test.accountRole')}</option>
              {roles.map((r) => <option key={r} value={r}>{hasText(`role.${r}`) ? t(`role.${r}`) : r}</option>)}
            </select>
          </Field>
        )}
        <TextField id="policy-ip" label={t('plugins.test.ip')} {...bind('ip')} />
        <TextField id="policy-at" type="datetime-local" label={t('plugins.test.at')} hint={t('plugins.test.atHint')} {...bind('at')} />
        <TextField id="policy-channel" label={t('plugins.test.channel')} list={suggestions.channel} {...bind('channel')} />
        {fields.has('pin') && <TextField id="policy-pin" label={t('plugins.test.pin')} {...bind('pin')} />}
        {fields.has('pinChannel') && <TextField id="policy-pin-channel" label={t('plugins.test.pinChannel')} list={suggestions.pinChannel} {...bind('pinChannel')} />}
        {fields.has('origin') && <TextField id="policy-origin" label={t('plugins.test.origin')} {...bind('origin')} />}
        {fields.has('formToken') && <TextField id="policy-form-token" label={t('plugins.test.formToken')} {...bind('formToken')} />}
        {fields.has('companyId') && <TextField id="policy-company-id" label={t('plugins.test.companyId')} {...bind('companyId')} />}
        {fields.has('permission') && <TextField id="policy-permission" label={t('plugins.test.permission')} list={suggestions.permission} {...bind('permission')} />}
        {fields.has('code') && <TextField id="policy-code" label={t('plugins.test.code')} {...bind('code')} />}
        <button type="submit" data-testid="policy-run" disabled={action.busy}>{t('plugins.test.run')}</button>
      </form>
      <ErrorText error={action.error} />
      {result && <Explanation result={result} />}
    </section>
  );
}
