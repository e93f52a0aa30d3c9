import type { Message } from '../../protocol/messages.js';
import { newId } from './consent.js';
import type { HandlerMap } from './handlers.js';
import type { ChatLine, SessionState } from './state.js';
import type { Store } from './store.js';

/** The protocol's longest chat text; longer input goes out in pieces. */
const MAX_CHAT = 4000;

const addLine = (store: Store<SessionState>, line: ChatLine) => store.update((s) => ({ ...s, chat: [...s.chat, line] }));

/** Chat from the customer goes to the log. */
export function chatHandlers(store: Store<SessionState>): HandlerMap {
  return {
    chat: (message) => addLine(store, { id: message.id, from: 'customer', text: message.text, at: Date.now() }),
  };
}

/**
 * Sends the technician's text (in pieces if long). It is logged at once: the channel delivers
 * it in order, also across a reconnect, or the session ends.
 */
export async function sendChat(store: Store<SessionState>, send: (message: Message) => Promise<void>, text: string): Promise<void> {
  const trimmed = text.trim();
  const sends: Promise<void>[] = [];
  for (let start = 0; start < trimmed.length; start += MAX_CHAT) {
    const message = { type: 'chat' as const, id: newId(), text: trimmed.slice(start, start + MAX_CHAT), at: Date.now() };
    addLine(store, { id: message.id, from: 'technician', text: message.text, at: message.at });
    sends.push(send(message));
  }
  await Promise.all(sends);
}
