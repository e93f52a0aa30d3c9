import type { Message } from '../../../../protocol/messages.js';

/** What a screen sender needs from the page. */
export interface SenderDeps {
  send(message: Message, payload?: Uint8Array): Promise<void>;
  /** The sender cannot go on (encoder error): sharing stops and the technician is told. */
  failed(detail: string): void;
}

/** One way to send the shared screen: WebCodecs video, or tiles on a canvas. */
export interface ScreenSender {
  start(): void;
  /** The technician painted update / frame `seq`. */
  acked(seq: number): void;
  /** The technician needs a whole picture (a key frame, or every tile). */
  keyFrame(): void;
  stop(): void;
}
