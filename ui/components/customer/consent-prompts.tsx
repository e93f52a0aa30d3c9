import { useState } from 'preact/hooks';
import type { CustomerAnswer } from '../../customer/consent.js';
import type { ConsentPrompt, CustomerState } from '../../customer/state.js';
import { formatBytes } from '../../console/format.js';
import { t } from '../../i18n/index.js';

/** One request: what the technician wants, and the customer's yes or no (a file to pick for file.receive). */
function PromptCard({ prompt, onAnswer }: { prompt: ConsentPrompt; onAnswer: (answer: CustomerAnswer) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const picking = prompt.capability === 'file.receive';
  const titleId = `prompt-${prompt.requestId}`;
  return (
    <li class="pin-card customer-prompt" role="group" aria-labelledby={titleId} data-testid="consent-prompt" data-capability={prompt.capability}>
      <h3 id={titleId}>{t(`customer.ask.${prompt.capability}`, { name: prompt.detail.name ?? '', size: formatBytes(prompt.detail.size ?? 0) })}</h3>
      {picking && (
        <label class="customer-file-pick">
          {t('customer.ask.pickFile')}
          <input type="file" data-testid="consent-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </label>
      )}
      <div class="customer-prompt-actions">
        <button type="button" data-testid="consent-allow" disabled={picking && !file} onClick={() => onAnswer(picking && file ? { granted: true, file } : { granted: true })}>
          {t(picking ? 'customer.ask.send' : 'customer.ask.allow')}
        </button>
        <button type="button" class="secondary" data-testid="consent-refuse" onClick={() => onAnswer({ granted: false })}>{t('customer.ask.refuse')}</button>
      </div>
    </li>
  );
}

/** The technician's open requests (oldest first), and what was answered. */
export function ConsentPrompts({ state, onAnswer }: { state: CustomerState; onAnswer: (requestId: string, answer: CustomerAnswer) => void }) {
  if (state.prompts.length === 0 && state.outcomes.length === 0) return null;
  return (
    <section class="customer-prompts" aria-labelledby="customer-prompts-title" aria-live="assertive">
      <h2 id="customer-prompts-title" class="console-sr-only">{t('customer.ask.title')}</h2>
      <ol class="customer-prompt-list">
        {state.prompts.map((prompt) => <PromptCard key={prompt.requestId} prompt={prompt} onAnswer={(answer) => onAnswer(prompt.requestId, answer)} />)}
      </ol>
      <ul class="customer-outcomes" data-testid="consent-outcomes">
        {state.outcomes.map((o) => (
          <li key={o.requestId} data-testid="consent-outcome" data-capability={o.capability} data-granted={String(o.granted)}>
            {t(o.granted ? 'customer.outcome.allowed' : o.reason ? 'customer.outcome.refusedFor' : 'customer.outcome.refused', { what: t(`customer.what.${o.capability}`), reason: o.reason ? t(`customer.reason.${o.reason}`) : '' })}
          </li>
        ))}
      </ul>
    </section>
  );
}
