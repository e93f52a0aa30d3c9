import { useState } from 'preact/hooks';
import type { CustomerSession } from '../../customer/session.js';
import { t } from '../../i18n/index.js';
import { ProgramStart } from '../pin/program-start.js';

/**
 * "Switch to the support program" (for remote control): a single-use code that continues this
 * session in the agent. When the agent joins, this page steps aside; the keys are agreed anew,
 * so both sides compare the (new) security code again.
 */
export function SwitchToAgent({ session }: { session: CustomerSession }) {
  const [code, setCode] = useState<{ joinCode: string; expiresAt: number } | null>(null);
  const [error, setError] = useState(false);
  if (code) return <ProgramStart joinCode={code.joinCode} pin={session.pin} expiresAt={code.expiresAt} />;
  return (
    <div class="customer-actions">
      <button type="button" class="secondary" data-testid="customer-switch" onClick={() => void session.handover().then(setCode, () => setError(true))}>{t('customer.switch')}</button>
      <p class="hint">{error ? t('pin.error.network') : t('customer.switchHint')}</p>
    </div>
  );
}
