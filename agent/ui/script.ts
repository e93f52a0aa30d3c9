import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { PromptQueue } from './prompts.js';
import type { AgentUi, AnswerCheck, Command, Prompt, PromptAnswer, UiEvent } from './types.js';

type LineHandler = (ui: ScriptUi, rest: string) => void;

/**
 * `--script`: for tests and automation. Every event is one JSON line on stdout; stdin takes
 * `yes` / `no` (the oldest open prompt), `path <file>` (a file request), `chat <text>`,
 * `send <path>`, `stop-screen`, `stop-control` and `end`. A prompt is shown (as a `prompt` line) when it becomes the oldest.
 */
export class ScriptUi implements AgentUi {
  private readonly prompts: PromptQueue;
  private readonly listeners: ((command: Command) => void)[] = [];
  private readonly lines: Interface;

  constructor(input: Readable, private readonly output: Writable) {
    this.prompts = new PromptQueue(
      (prompt) => this.write({ event: 'prompt', id: prompt.id, capability: prompt.capability, kind: prompt.kind, detail: prompt.detail }),
      (reason) => this.notify({ event: 'error', message: reason }),
    );
    this.lines = createInterface({ input, terminal: false });
    this.lines.on('line', (line) => this.onLine(line));
  }

  notify(event: UiEvent): void {
    this.write(event);
  }

  ask(prompt: Prompt, check?: AnswerCheck): Promise<PromptAnswer> {
    return this.prompts.add(prompt, check);
  }

  onCommand(listener: (command: Command) => void): void {
    this.listeners.push(listener);
  }

  interrupt(): void {
    this.emit({ kind: 'end' });
  }

  close(): void {
    this.prompts.refuseAll();
    this.lines.close();
  }

  /** Answers the oldest prompt, or says why there is nothing to answer. */
  answer(answer: PromptAnswer, wantsPath: boolean): void {
    const oldest = this.prompts.oldest;
    if (!oldest) return this.notify({ event: 'error', message: 'no open prompt' });
    if (answer.granted && wantsPath !== (oldest.kind === 'path')) {
      return this.notify({ event: 'error', message: oldest.kind === 'path' ? 'answer a file request with: path <file> (or no)' : 'answer with yes or no' });
    }
    void this.prompts.answer(answer);
  }

  emit(command: Command): void {
    for (const listener of this.listeners) listener(command);
  }

  private onLine(line: string): void {
    const trimmed = line.trim();
    if (!trimmed) return;
    const [word = '', ...rest] = trimmed.split(' ');
    const handler = lineHandlers[word.toLowerCase()];
    if (handler) handler(this, rest.join(' ').trim());
    else this.notify({ event: 'error', message: `unknown command: ${word}` });
  }

  private write(event: object): void {
    this.output.write(`${JSON.stringify(event)}\n`);
  }
}

/** stdin commands of script mode, by first word. */
const lineHandlers: Record<string, LineHandler> = {
  yes: (ui) => ui.answer({ granted: true }, false),
  no: (ui) => ui.answer({ granted: false }, false),
  path: (ui, rest) => (rest ? ui.answer({ granted: true, path: rest }, true) : ui.notify({ event: 'error', message: 'path needs a file name' })),
  chat: (ui, rest) => (rest ? ui.emit({ kind: 'chat', text: rest }) : ui.notify({ event: 'error', message: 'chat needs a text' })),
  send: (ui, rest) => (rest ? ui.emit({ kind: 'send', path: rest }) : ui.notify({ event: 'error', message: 'send needs a file name' })),
  end: (ui) => ui.emit({ kind: 'end' }),
  'stop-screen': (ui) => ui.emit({ kind: 'stop-screen' }),
  'stop-control': (ui) => ui.emit({ kind: 'stop-control' }),
};
