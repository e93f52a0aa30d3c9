import type { Capability, Message, MessageType } from '../protocol/messages.js';
import type { AgentCapability, CommandMap, ConsentOffer, HandlerMap, MessageHandler } from './capabilities/types.js';
import type { Command } from './ui/types.js';

/**
 * The closed tables the session runs on, built once from the capability modules: message type
 * → handler, customer command → handler, requestable capability → offer. Two owners for one
 * entry is a programming error and fails at start, not at the first message.
 */
export interface Registry {
  handlers: Map<MessageType, MessageHandler>;
  commands: Map<Command['kind'], (command: Command) => Promise<void> | void>;
  offers: Map<Capability, ConsentOffer>;
}

/** Builds the tables; `session` holds the session's own handlers and commands. */
export function buildRegistry(capabilities: AgentCapability[], session: { handlers: HandlerMap; commands: CommandMap }): Registry {
  const registry: Registry = { handlers: new Map(), commands: new Map(), offers: new Map() };
  const owners: Pick<AgentCapability, 'handlers' | 'commands' | 'consents'>[] & { id: string }[] = [{ id: 'session', ...session }, ...capabilities];
  for (const owner of owners) {
    for (const [type, handler] of Object.entries(owner.handlers ?? {})) {
      add(registry.handlers, type as MessageType, handler as MessageHandler, `message ${type}`, owner.id);
    }
    for (const [kind, handler] of Object.entries(owner.commands ?? {})) {
      add(registry.commands, kind as Command['kind'], handler as (command: Command) => void, `command ${kind}`, owner.id);
    }
    for (const [capability, offer] of Object.entries(owner.consents ?? {})) {
      add(registry.offers, capability as Capability, offer, `consent ${capability}`, owner.id);
    }
  }
  return registry;
}

function add<K, V>(map: Map<K, V>, key: K, value: V, what: string, owner: string): void {
  if (map.has(key)) throw new Error(`${what} has two owners (the second is ${owner}).`);
  map.set(key, value);
}

/**
 * Runs incoming messages through the handler table strictly one after another (file chunks
 * must be written in order). Types the agent does not take from a technician — a
 * consent.response, for one: only the customer answers — are dropped.
 */
export class MessageQueue {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly handlers: Map<MessageType, MessageHandler>, private readonly onError: (error: Error, message: Message) => void) {}

  push(message: Message, payload: Uint8Array): void {
    const handler = this.handlers.get(message.type);
    if (!handler) return;
    this.chain = this.chain.then(() => handler(message as never, payload)).catch((error: Error) => this.onError(error, message));
  }

  /** Resolves when everything queued so far was handled. */
  idle(): Promise<void> {
    return this.chain;
  }
}
