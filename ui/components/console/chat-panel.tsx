import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatLine } from '../../console/state.js';
import { formatTime } from '../../console/format.js';
import { t } from '../../i18n/index.js';

/**
 * The chat of a session: who said what, newest at the bottom, and the input. The console and
 * the customer's page share it; `words` names the i18n prefix of the side it is shown on.
 */
export function ChatPanel({ lines, enabled, onSend, words = 'console.chat' }: { lines: ChatLine[]; enabled: boolean; onSend: (text: string) => Promise<void>; words?: 'console.chat' | 'customer.chat' }) {
  const [text, setText] = useState('');
  const log = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [lines.length]);

  function submit(event: Event) {
    event.preventDefault();
    if (!text.trim() || !enabled) return;
    void onSend(text).catch(() => undefined);
    setText('');
  }

  return (
    <section class="card chat-panel" aria-labelledby="chat-title">
      <h2 id="chat-title">{t(`${words}.title`)}</h2>
      <ol class="chat-log" data-testid="chat-log" aria-live="polite" aria-label={t(`${words}.log`)} ref={log} tabIndex={0}>
        {lines.length === 0 && <li class="chat-empty hint">{t(`${words}.empty`)}</li>}
        {lines.map((line) => (
          <li key={line.id} class={`chat-line from-${line.from}`} data-from={line.from}>
            <span class="chat-who">{t(`${words}.from.${line.from}`)}</span>
            <time class="chat-time" dateTime={new Date(line.at).toISOString()}>{formatTime(line.at)}</time>
            <span class="chat-text">{line.text}</span>
          </li>
        ))}
      </ol>
      <form class="chat-form" onSubmit={submit}>
        <label for="chat-input" class="console-sr-only">{t(`${words}.input`)}</label>
        <input id="chat-input" data-testid="chat-input" autocomplete="off" maxLength={20_000} placeholder={t(`${words}.placeholder`)}
          disabled={!enabled} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" data-testid="chat-send" disabled={!enabled || !text.trim()}>{t(`${words}.send`)}</button>
      </form>
    </section>
  );
}
