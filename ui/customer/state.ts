import type { Capability } from '../../protocol/messages.js';
import type { ChatLine } from '../console/state.js';

/**
 * What the customer's page shows, as plain data: the logic modules (session, consent, files,
 * screen) write it, the components only read it.
 */

/** Where the session stands, as the customer sees it. */
export type CustomerPhase =
  | 'joining' // exchanging the join code at the broker
  | 'connecting' // opening the relay socket
  | 'waiting' // at the relay, the technician is not there yet
  | 'verifying' // paired, keys being agreed
  | 'connected' // keys confirmed: the security code is shown
  | 'reconnecting'
  | 'peer-left' // the technician's connection dropped; they may come back
  | 'ended'
  | 'alert';

/** A technician's request waiting for the customer's answer. */
export interface ConsentPrompt {
  requestId: string;
  capability: Capability;
  detail: { name?: string; size?: number };
}

/** A request that was answered (or refused without asking, with the reason). */
export interface ConsentOutcome {
  requestId: string;
  capability: Capability;
  granted: boolean;
  /** Why it was refused without asking (a stable key), when it was. */
  reason?: string;
}

/** One file transfer, either way. */
export interface CustomerTransfer {
  transferId: string;
  direction: 'to-customer' | 'from-customer';
  name: string;
  size: number;
  bytes: number;
  state: 'waiting' | 'receiving' | 'sending' | 'verifying' | 'done' | 'failed';
  reason?: string;
  /** A received, verified file: its Blob URL for the download link. */
  url?: string;
}

/** The page's whole state. */
export interface CustomerState {
  phase: CustomerPhase;
  technician: string;
  sas: string | null;
  rekeyed: boolean;
  chat: ChatLine[];
  prompts: ConsentPrompt[];
  outcomes: ConsentOutcome[];
  transfers: CustomerTransfer[];
  /** The screen is being shared with the technician. */
  sharing: boolean;
  ended: { by: string; reason: string } | null;
  alert: { code: string; message: string } | null;
  error: string | null;
}

export const initialCustomerState: CustomerState = {
  phase: 'joining', technician: '', sas: null, rekeyed: false, chat: [], prompts: [], outcomes: [], transfers: [], sharing: false, ended: null, alert: null, error: null,
};

/** Whether the session is over (nothing more can be sent). */
export const customerOver = (state: CustomerState): boolean => state.phase === 'ended' || state.phase === 'alert';

/** Replaces the one transfer with this id. */
export function patchCustomerTransfer(state: CustomerState, transferId: string, patch: Partial<CustomerTransfer>): CustomerState {
  return { ...state, transfers: state.transfers.map((t) => (t.transferId === transferId ? { ...t, ...patch } : t)) };
}
