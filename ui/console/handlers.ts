import type { Message, MessageType } from '../../protocol/messages.js';

/**
 * The console's message table: each module (chat, consent, diagnostics, files, session end)
 * owns the message types it handles; the session joins them into one map. A type with two
 * owners is a programming error and fails at start; a type nobody owns is ignored (e.g. a
 * consent.request, which only the technician sends).
 */

/** Handles one message type from the customer's agent. */
export type MessageHandler<T extends MessageType = MessageType> = (message: Message<T>, payload: Uint8Array) => Promise<void> | void;

/** Message type → handler, as one module declares it. */
export type HandlerMap = { [T in MessageType]?: MessageHandler<T> };

/** Joins the modules' maps; throws when two modules claim the same type. */
export function joinHandlers(owners: Record<string, HandlerMap>): Map<MessageType, MessageHandler> {
  const table = new Map<MessageType, MessageHandler>();
  const ownerOf = new Map<MessageType, string>();
  for (const [owner, handlers] of Object.entries(owners)) {
    for (const [type, handler] of Object.entries(handlers) as [MessageType, MessageHandler][]) {
      if (table.has(type)) throw new Error(`message ${type} has two owners: ${ownerOf.get(type)} and ${owner}`);
      table.set(type, handler);
      ownerOf.set(type, owner);
    }
  }
  return table;
}

/**
 * Runs incoming messages through the table one after another, in arrival order: a file's
 * chunks are stored in order and its verification (async) finishes before the next message.
 */
export class MessageQueue {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly table: Map<MessageType, MessageHandler>, private readonly onError: (error: Error, message: Message) => void) {}

  push(message: Message, payload: Uint8Array): void {
    const handler = this.table.get(message.type);
    if (!handler) return;
    this.chain = this.chain.then(() => handler(message as never, payload)).catch((error: Error) => this.onError(error, message));
  }
}
