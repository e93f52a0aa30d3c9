import type { Capability } from '../../protocol/messages.js';
import type { DiagnosticsView } from './diagnostics.js';

/**
 * What the session page shows, as plain data. The logic modules (connection, consent, files,
 * diagnostics) write it; the components only read it.
 */

/** Where the connection to the customer stands. */
export type Phase =
  | 'connecting' // asking for a ticket, opening the relay socket
  | 'waiting' // at the relay, the customer is not there yet
  | 'verifying' // paired, keys being agreed
  | 'connected' // keys confirmed: the SAS is shown
  | 'reconnecting' // our socket dropped; trying again with a new ticket
  | 'peer-left' // the customer's connection dropped; it may come back
  | 'ended'
  | 'alert';

/** One chat line. */
export interface ChatLine {
  id: string;
  from: 'technician' | 'customer';
  text: string;
  at: number;
}

/** One permission request and how far it got. */
export interface ConsentEntry {
  requestId: string;
  capability: Capability;
  state: 'asking-broker' | 'forbidden' | 'policy-denied' | 'not-joined' | 'error' | 'waiting' | 'granted' | 'refused';
  /** Policy reason or error text, when there is one. */
  detail?: string;
}

/** One file transfer, either way. */
export interface Transfer {
  transferId: string;
  direction: 'to-customer' | 'from-customer';
  name: string;
  size: number;
  bytes: number;
  state: 'consent' | 'hashing' | 'offered' | 'sending' | 'receiving' | 'verifying' | 'done' | 'failed';
  /** Why it failed (a stable key, translated by the view). */
  reason?: string;
  /** For received files: the Blob URL of the verified file. */
  url?: string;
}

/** How the session ended. */
export interface Ending {
  by: 'customer' | 'technician' | 'other';
  reason: string;
}

export interface SessionState {
  phase: Phase;
  sas: string | null;
  /** The keys were agreed again (one side reloaded): the SAS must be compared again. */
  rekeyed: boolean;
  chat: ChatLine[];
  consents: ConsentEntry[];
  transfers: Transfer[];
  diagnostics: DiagnosticsView | null;
  /** The report as the agent sent it, for saving the computer to the CMDB (the server validates it). */
  diagnosticsReport: Record<string, unknown> | null;
  ended: Ending | null;
  alert: { code: string } | null;
  /** A problem that is not the protocol's (e.g. the broker refused a ticket). */
  error: string | null;
}

export const initialState: SessionState = {
  phase: 'connecting', sas: null, rekeyed: false, chat: [], consents: [], transfers: [], diagnostics: null, diagnosticsReport: null, ended: null, alert: null, error: null,
};

/** Whether the session is over (nothing more can be sent). */
export const isOver = (state: SessionState): boolean => state.phase === 'ended' || state.phase === 'alert';

/** Replaces the one transfer with this id. */
export function patchTransfer(state: SessionState, transferId: string, patch: Partial<Transfer>): SessionState {
  return { ...state, transfers: state.transfers.map((t) => (t.transferId === transferId ? { ...t, ...patch } : t)) };
}

/** Replaces the one consent entry with this request id. */
export function patchConsent(state: SessionState, requestId: string, patch: Partial<ConsentEntry>): SessionState {
  return { ...state, consents: state.consents.map((c) => (c.requestId === requestId ? { ...c, ...patch } : c)) };
}
