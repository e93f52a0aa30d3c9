import type { Writable } from 'node:stream';
import type { AgentUi, Command, Prompt, PromptAnswer, UiEvent } from '../ui/types.js';

/** Events only the unattended service shows (besides the session's own). */
export type ServiceEvent =
  | { event: 'service-started'; deviceId: string }
  | { event: 'start-refused'; reason: string; sessionId?: string }
  | { event: 'unattended-active'; sessionId: string; technician: string; since: number }
  | { event: 'unattended-ended'; sessionId: string }
  | { event: 'credentials'; outcome: string; user: string }
  | { event: 'device-gone'; status: string }
  | { event: 'poll-failed'; message: string };

/**
 * The service's interface: every event as one JSON line on stdout (the journal under systemd).
 * Nobody answers prompts here: a consent request is granted only once the technician proved
 * the device's own credentials in this session (`authorised()`), and a file request that
 * needs a path chosen by a person is refused.
 */
export class ServiceUi implements AgentUi {
  private readonly listeners: ((command: Command) => void)[] = [];

  constructor(private readonly output: Writable, private readonly authorised: () => boolean) {}

  notify(event: UiEvent | ServiceEvent): void {
    this.output.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);
  }

  async ask(prompt: Prompt): Promise<PromptAnswer> {
    const granted = this.authorised() && prompt.kind === 'confirm';
    this.notify({ event: 'answered', id: prompt.id, capability: prompt.capability, granted });
    return { granted } as PromptAnswer;
  }

  onCommand(listener: (command: Command) => void): void {
    this.listeners.push(listener);
  }

  /** The person at the device ended the session (SIGUSR1 from `rescuebox-agent end-session`). */
  interrupt(): void {
    for (const listener of this.listeners) listener({ kind: 'end' });
  }

  close(): void {
    this.listeners.length = 0;
  }
}
