/**
 * A sender's wait for the receiver's answers to one file transfer (file.accept, then
 * file.received). The same on both sides: the agent sending to the technician and the browser
 * sending to the customer.
 */

/** The receiver's answer: taken, or refused/failed with a reason. */
export type TransferVerdict = { ok: true } | { ok: false; reason: string };

/** One sent file waiting for its file.accept and file.received. */
export interface TransferWait {
  accepted: Promise<TransferVerdict>;
  received: Promise<TransferVerdict>;
  accept(verdict: TransferVerdict): void;
  receive(verdict: TransferVerdict): void;
  /** Set when the transfer was aborted (by either side), with the reason. */
  aborted: string | null;
}

/** A fresh wait whose promises settle once `accept` / `receive` are called. */
export function transferWait(): TransferWait {
  let accept!: (verdict: TransferVerdict) => void;
  let receive!: (verdict: TransferVerdict) => void;
  const accepted = new Promise<TransferVerdict>((resolve) => (accept = resolve));
  const received = new Promise<TransferVerdict>((resolve) => (receive = resolve));
  return { accepted, received, accept, receive, aborted: null };
}
