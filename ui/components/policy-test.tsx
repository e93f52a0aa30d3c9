import { useState } from 'preact/hooks';
import { hookNames, pluginsApi, type HookName, type PolicyExplanation } from '../api/client.js';
import { useAction } from '../api/hooks.js';
import { hasText, t } from '../i18n/index.js';
import { OutcomeBadge } from './audit-table.js';
import { ErrorText } from './error-text.js';
import { Field } from './field.js';

/** A verdict's reason: the plugin's own words (they carry the detail an admin tests for), else the translated code. */
const reasonText = (code?: string, reason?: string): string => reason || (code && hasText(`policy.${code}`) ? t(`policy.${code}`) : '');

/** The pipeline's verdict and each plugin's step. */
function Explanation({ result }: { result: PolicyExplanation }) {
  const { decision, trace } = result;
  return (
    <div class="result" role="status">
      <p>
        {t('plugins.test.decision')} <OutcomeBadge outcome={decision.outcome} />
        {decision.code && <> <code>{decision.code}</code></>} {reasonText(decision.code, decision.reason)}
      </p>
      <table data-testid="policy-trace">
        <caption class="sr-only">{t('plugins.test.trace')}</caption>
        <thead>
          <tr><th scope="col">{t('plugins.test.plugin')}</th><th scope="col">{t('plugins.test.outcome')}</th><th scope="col">{t('plugins.test.denyCode')}</th><th scope="col">{t('plugins.test.reason')}</th><th scope="col">{t('plugins.test.ms')}</th></tr>
        </thead>
        <tbody>
          {trace.map((step, i) => (
            <tr key={i}>
              <td>{step.plugin}</td><td><OutcomeBadge outcome={step.outcome} /></td><td>{step.code ? <code>{step.code}</code> : '—'}</td>
              <td>{reasonText(step.code, step.reason) || '—'}</td><td class="num">{step.ms}</td>
            </tr>
          ))}
          {trace.length === 0 && <tr><td colSpan={5} class="muted">{t('plugins.test.noTrace')}</td></tr>}
        </tbody>
      </table>
    </div>
  );
}

/** "Test a policy": runs the pipeline for a made-up request without side effects and shows the trace. */
export function PolicyTest() {
  const [hook, setHook] = useState<HookName>('technicianLogin');
  const [email, setEmail] = useState('');
  const [ip, setIp] = useState('127.0.0.1');
  const [result, setResult] = useState<PolicyExplanation | null>(null);
  const action = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await action.run(async () => setResult(await pluginsApi.explain(hook, { ...(email && { email }), ...(ip && { ip }) })));
  }

  return (
    <section class="card" aria-labelledby="policy-test-title">
      <h2 id="policy-test-title">{t('plugins.test.title')}</h2>
      <p class="hint">{t('plugins.test.intro')}</p>
      <form class="inline-form" onSubmit={submit}>
        <Field id="policy-hook" label={t('plugins.test.hook')}>
          <select id="policy-hook" value={hook} onChange={(e) => setHook(e.currentTarget.value as HookName)}>
            {hookNames.map((h) => <option key={h} value={h}>{t(`plugins.hook.${h}`)}</option>)}
          </select>
        </Field>
        <Field id="policy-email" label={t('plugins.test.email')}>
          <input id="policy-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field id="policy-ip" label={t('plugins.test.ip')}>
          <input id="policy-ip" value={ip} onInput={(e) => setIp(e.currentTarget.value)} />
        </Field>
        <button type="submit" data-testid="policy-run" disabled={action.busy}>{t('plugins.test.run')}</button>
      </form>
      <ErrorText error={action.error} />
      {result && <Explanation result={result} />}
    </section>
  );
}
