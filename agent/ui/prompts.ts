import type { AnswerCheck, Prompt, PromptAnswer } from './types.js';

interface OpenPrompt {
  prompt: Prompt;
  check: AnswerCheck | undefined;
  resolve: (answer: PromptAnswer) => void;
}

/**
 * The open prompts, oldest first. Input always answers the oldest; answers are handled one
 * at a time (a path check is async), and a prompt is settled exactly once.
 */
export class PromptQueue {
  private readonly open: OpenPrompt[] = [];
  private chain: Promise<void> = Promise.resolve();

  /**
   * `onShow` is called for a prompt when it becomes the oldest (and again after a rejected
   * answer); `onRejected` tells the customer why an answer did not count.
   */
  constructor(private readonly onShow: (prompt: Prompt) => void, private readonly onRejected: (reason: string) => void) {}

  /** Adds a prompt; resolves with the customer's answer. */
  add(prompt: Prompt, check?: AnswerCheck): Promise<PromptAnswer> {
    return new Promise((resolve) => {
      this.open.push({ prompt, check, resolve });
      if (this.open.length === 1) this.onShow(prompt);
    });
  }

  /** The prompt the next answer goes to. */
  get oldest(): Prompt | null {
    return this.open[0]?.prompt ?? null;
  }

  get size(): number {
    return this.open.length;
  }

  /** Answers the oldest prompt (after its check); resolves when handled. */
  answer(answer: PromptAnswer): Promise<void> {
    this.chain = this.chain.then(async () => {
      const first = this.open[0];
      if (!first) return;
      const problem = answer.granted && first.check ? await first.check(answer) : null;
      if (problem) {
        this.onRejected(problem);
        this.onShow(first.prompt);
        return;
      }
      this.open.shift();
      first.resolve(answer);
      if (this.open[0]) this.onShow(this.open[0].prompt);
    });
    return this.chain;
  }

  /** Refuses every open prompt (the session is over). */
  refuseAll(): void {
    for (const open of this.open.splice(0)) open.resolve({ granted: false });
  }
}

/** Whether a line means yes (English or German). */
export const isYes = (line: string): boolean => /^(y|yes|j|ja)$/i.test(line.trim());

/** Whether a line means no (English or German). */
export const isNo = (line: string): boolean => /^(n|no|nein)$/i.test(line.trim());
