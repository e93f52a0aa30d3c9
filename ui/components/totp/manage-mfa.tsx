import { useState } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { t } from '../../i18n/index.js';
import { Field } from '../field.js';
import { mfaApi, type MfaStatus } from './api.js';
import { CodeInput } from './code-input.js';
import { MfaError } from './mfa-error.js';

/** New recovery codes for a current code (the old ones stop working). */
function RenewRecoveryCodes({ onRenewed }: { onRenewed: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    if (await action.run(async () => onRenewed((await mfaApi.renewRecoveryCodes(code.replace(/\s/g, ''))).recoveryCodes))) setCode('');
  }
  return (
    <form class="inline-form" onSubmit={submit}>
      <CodeInput id="mfa-renew-code" label={t('mfa.code')} value={code} onInput={setCode} />
      <button type="submit" class="secondary" data-testid="mfa-renew" disabled={action.busy}>{t('mfa.recovery.renew')}</button>
      <MfaError error={action.error} />
    </form>
  );
}

/** Turning MFA off, proven with a current code or the password. */
function DisableMfa({ onDisabled }: { onDisabled: () => void }) {
  const [proof, setProof] = useState({ code: '', password: '' });
  const action = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const body = proof.code.trim() ? { code: proof.code.replace(/\s/g, '') } : { password: proof.password };
    if (await action.run(() => mfaApi.disable(body))) onDisabled();
  }
  return (
    <form class="inline-form" onSubmit={submit}>
      <CodeInput id="mfa-disable-code" label={t('mfa.disable.code')} value={proof.code} onInput={(code) => setProof({ ...proof, code })} />
      <Field id="mfa-disable-password" label={t('mfa.disable.password')}>
        <input id="mfa-disable-password" type="password" autocomplete="current-password" value={proof.password} onInput={(e) => setProof({ ...proof, password: e.currentTarget.value })} />
      </Field>
      <button type="submit" class="danger" data-testid="mfa-disable" disabled={action.busy || (!proof.code.trim() && !proof.password)}>{t('mfa.disable.submit')}</button>
      <MfaError error={action.error} />
    </form>
  );
}

/** An enrolled account: recovery codes left, new recovery codes, and turning MFA off unless policy requires it. */
export function ManageMfa({ status, onRenewed, onDisabled }: { status: MfaStatus; onRenewed: (codes: string[]) => void; onDisabled: () => void }) {
  return (
    <div>
      <p class="ok" data-testid="mfa-on">{t('mfa.status.on')}</p>
      <p>{t('mfa.recovery.left', { n: status.recoveryCodesLeft })}</p>
      {status.recoveryCodesLeft === 0 && <p class="error" role="alert">{t('mfa.recovery.noneLeft')}</p>}
      <h3>{t('mfa.recovery.renewTitle')}</h3>
      <RenewRecoveryCodes onRenewed={onRenewed} />
      <h3>{t('mfa.disable.title')}</h3>
      {status.required ? <p class="hint">{t('mfa.disable.required')}</p> : <DisableMfa onDisabled={onDisabled} />}
    </div>
  );
}
