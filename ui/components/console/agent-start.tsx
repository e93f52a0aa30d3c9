import { useRef, useState } from 'preact/hooks';
import { formatRemaining, formatTime, useNow } from '../../console/format.js';
import { t } from '../../i18n/index.js';

/** The agent's download URL (served by the appliance, preset for it). */
export const AGENT_DOWNLOAD = '/downloads/rescuebox-agent.mjs';

/** The one-line start command for the downloaded agent. */
export function agentCommand(origin: string, joinCode: string, pin: string): string {
  return `node rescuebox-agent.mjs --server ${origin} --join ${joinCode} --pin ${pin}`;
}

/** Copies text: the Clipboard API where allowed, else the selected text with execCommand. */
async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!element) return false;
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

/**
 * After a valid PIN: download the agent, run the start command (copy button), what happens
 * next, and how long the command works.
 */
export function AgentStart({ joinCode, pin, expiresAt }: { joinCode: string; pin: string; expiresAt: number }) {
  const now = useNow();
  const command = agentCommand(location.origin, joinCode, pin);
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const expired = now >= expiresAt;

  return (
    <section class="pin-card pin-agent-start" aria-labelledby="agent-start-title">
      <h2 id="agent-start-title">{t('pin.start.title')}</h2>
      <ol class="pin-steps">
        <li>
          <p>{t('pin.start.step1')}</p>
          <a class="pin-download" href={AGENT_DOWNLOAD} download="rescuebox-agent.mjs" data-testid="agent-download">{t('pin.start.download')}</a>
          <p class="hint">{t('pin.start.node')}</p>
        </li>
        <li>
          <p>{t('pin.start.step2')}</p>
          <div class="pin-command">
            <code data-testid="agent-command" ref={code}>{command}</code>
            <button type="button" class="pin-copy" data-testid="agent-command-copy" onClick={() => void copyText(command, code.current).then(setCopied)}>
              {t('pin.start.copy')}
            </button>
          </div>
          <p class="hint" role="status">{copied === true ? t('pin.start.copied') : copied === false ? t('pin.start.copyFailed') : ''}</p>
        </li>
        <li><p>{t('pin.start.step3')}</p></li>
      </ol>
      <ul class="pin-assurances">
        <li>{t('pin.start.asks')}</li>
        <li>{t('pin.start.endAnyTime')}</li>
      </ul>
      <p class={expired ? 'error' : 'hint'} data-testid="join-expiry" role="timer" aria-live="off">
        {expired ? t('pin.start.expired') : t('pin.start.expires', { time: formatTime(expiresAt), remaining: formatRemaining(expiresAt, now) })}
      </p>
    </section>
  );
}
