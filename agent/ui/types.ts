import type { Capability } from '../../protocol/messages.js';

/**
 * The agent's user interface contract, shared by the interactive terminal and the JSON-lines
 * script mode. Everything the customer sees is a UiEvent; everything they decide comes back
 * through ask() or a Command. Only local input answers a prompt — nothing from the network can.
 */

/** Something the customer should know; script mode prints each as one JSON line. */
export type UiEvent =
  | { event: 'connecting'; server: string }
  | { event: 'connected'; technician: string }
  | { event: 'notice'; key: 'screenNotOnOs'; os: string }
  | { event: 'notice'; key: 'screenWayland'; server: string }
  | { event: 'waiting' }
  | { event: 'ready'; sas: string; rekeyed: boolean }
  | { event: 'peer-left' }
  | { event: 'reconnecting' }
  | { event: 'reconnected' }
  | { event: 'chat'; text: string; from: 'technician' }
  | { event: 'answered'; id: string; capability: Capability; granted: boolean }
  | { event: 'refused'; id: string; capability: string; reason: string; why?: string }
  | { event: 'progress'; transferId: string; direction: 'send' | 'receive'; name: string; bytes: number; total: number }
  | { event: 'file-received'; transferId: string; name: string; path: string; sha256: string; size: number }
  | { event: 'file-sent'; transferId: string; name: string; sha256: string; size: number }
  | { event: 'file-failed'; transferId: string; direction: 'send' | 'receive'; name: string; reason: string }
  | { event: 'screen'; state: ScreenUiState; by?: string; detail?: string }
  | { event: 'ended'; by: string }
  | { event: 'alert'; code: string; message: string }
  | { event: 'error'; message: string; code?: 'pin_refused' | 'cannot_connect' };

/** Screen sharing and remote control as the customer must see them. */
export type ScreenUiState = 'viewing' | 'view-stopped' | 'control' | 'control-paused' | 'control-resumed' | 'control-stopped' | 'unavailable';

/** A question for the customer: yes/no, or a file path (file.receive). */
export interface Prompt {
  id: string;
  capability: Capability;
  kind: 'confirm' | 'path';
  detail: { name?: string; size?: number };
}

/** The customer's answer; final for that prompt. */
export type PromptAnswer = { granted: false } | { granted: true; path?: string };

/** Checks an answer before it counts (e.g. the path is a readable file); a reason re-asks. */
export type AnswerCheck = (answer: PromptAnswer) => Promise<string | null>;

/** What the customer asked the agent to do. */
export type Command = { kind: 'chat'; text: string } | { kind: 'send'; path: string } | { kind: 'end' } | { kind: 'stop-screen' } | { kind: 'stop-control' };

/** One user interface: terminal or script. */
export interface AgentUi {
  notify(event: UiEvent): void;
  /** Asks the customer; prompts are answered oldest first. */
  ask(prompt: Prompt, check?: AnswerCheck): Promise<PromptAnswer>;
  onCommand(listener: (command: Command) => void): void;
  /** Ctrl-C: the terminal asks for confirmation first; script mode ends at once. */
  interrupt(): void;
  /** Refuses whatever is still open and releases stdin. */
  close(): void;
}
