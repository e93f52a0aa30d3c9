import type { Capability, Message, MessageType } from '../../protocol/messages.js';
import type { EventSink } from '../net/broker.js';
import type { AgentUi, AnswerCheck, Command, PromptAnswer } from '../ui/types.js';

/**
 * The one interface every agent capability implements (chat, files, diagnostics; later screen
 * and input). A capability declares the messages it handles, the consent-gated requests it
 * serves and the customer commands it runs; the session wires them together and refuses
 * duplicates, so a message type or command has exactly one owner.
 */

/** Handles one message type from the technician. Keep it short: long work runs detached. */
export type MessageHandler<T extends MessageType = MessageType> = (message: Message<T>, payload: Uint8Array) => Promise<void> | void;

/** Message type → handler. */
export type HandlerMap = { [T in MessageType]?: MessageHandler<T> };

/** Customer command kind → handler. */
export type CommandMap = { [K in Command['kind']]?: (command: Extract<Command, { kind: K }>) => Promise<void> | void };

/** What a capability may use. */
export interface CapabilityContext {
  /** Sends an encrypted message to the technician (queued until the channel is ready). */
  send(message: Message, payload?: Uint8Array): Promise<void>;
  /** Waits while too much sent data is unacknowledged (large transfers). */
  drain(): Promise<void>;
  ui: AgentUi;
  /** Audit events for the broker. */
  events: EventSink;
  settings: { downloadDir: string; maxFileBytes: number };
}

/** A yes from the customer (with the path, for a file request). */
export type GrantedAnswer = Extract<PromptAnswer, { granted: true }>;

/** A request the technician may make with `consent.request`, served by one capability. */
export interface ConsentOffer {
  /** How the customer answers: yes/no, or a file path. */
  kind: 'confirm' | 'path';
  /**
   * A reason to refuse without asking (e.g. the announced file is too large), or null; with
   * `why`, a stable key telling the customer the cause (the screen on a Wayland desktop).
   */
  precheck?(request: Message<'consent.request'>): string | { reason: string; why: string } | null;
  /** Checks an answer before it counts (re-asks with the reason). */
  check?: AnswerCheck;
  /** Runs after the customer said yes and the consent.response went out. */
  granted(request: Message<'consent.request'>, answer: GrantedAnswer): Promise<void> | void;
}

/** One capability module. */
export interface AgentCapability {
  readonly id: 'chat' | 'files' | 'diagnostics' | 'screen' | 'input';
  readonly handlers?: HandlerMap;
  readonly consents?: { [C in Capability]?: ConsentOffer };
  readonly commands?: CommandMap;
  /** `capability.stop` for one of its capabilities: stop what runs. */
  stop?(capability: Capability): Promise<void> | void;
  /** The session is over: abort what runs and leave nothing half-written behind. */
  dispose?(): Promise<void>;
}
