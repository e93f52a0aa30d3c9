import type { Capability, Message } from '../../protocol/messages.js';
import { ApiError } from '../api/client.js';
import type { HandlerMap } from './handlers.js';
import { patchConsent, type ConsentEntry, type SessionState } from './state.js';
import type { Store } from './store.js';

/**
 * Asking the customer for a capability, in two steps: the broker signs a grant (only when the
 * technician's groups and the policy allow it), then the agent asks the customer and answers
 * with consent.response. The console never decides on the customer's behalf.
 */

/** What consent requests need from the session. */
export interface ConsentDeps {
  /** `POST /api/v1/sessions/:id/grants`: the signed grant, or an ApiError. */
  grant(capability: Capability): Promise<string>;
  send(message: Message): Promise<void>;
  store: Store<SessionState>;
}

/** A random id for requests and transfers. */
export const newId = (): string => crypto.randomUUID();

/** Which consent state a refused grant request shows. */
function grantFailure(error: unknown): Pick<ConsentEntry, 'state' | 'detail'> {
  if (error instanceof ApiError && error.code === 'forbidden') return { state: 'forbidden' };
  if (error instanceof ApiError && error.code === 'policy_denied') return { state: 'policy-denied', detail: error.message };
  if (error instanceof ApiError && error.status === 409) return { state: 'not-joined' };
  return { state: 'error', detail: (error as Error)?.message ?? String(error) };
}

/** The technician's open consent requests, answered by the customer's consent.response. */
export class ConsentRequests {
  private readonly pending = new Map<string, (granted: boolean) => void>();

  constructor(private readonly deps: ConsentDeps) {}

  /**
   * Asks for `capability` (with the file's name and size for file.send); resolves with the
   * customer's answer, or false when the broker refused or the session ended first.
   */
  async ask(capability: Capability, detail?: { name: string; size: number }, requestId = newId()): Promise<boolean> {
    const { store } = this.deps;
    store.update((s) => ({ ...s, consents: [...s.consents, { requestId, capability, state: 'asking-broker' }] }));
    let grant: string;
    try {
      grant = await this.deps.grant(capability);
    } catch (error) {
      store.update((s) => patchConsent(s, requestId, grantFailure(error)));
      return false;
    }
    const answer = new Promise<boolean>((resolve) => this.pending.set(requestId, resolve));
    store.update((s) => patchConsent(s, requestId, { state: 'waiting' }));
    try {
      await this.deps.send({ type: 'consent.request', requestId, capability, grant, ...(detail && { detail }) });
    } catch (error) {
      this.pending.delete(requestId);
      store.update((s) => patchConsent(s, requestId, { state: 'error', detail: (error as Error).message }));
      return false;
    }
    return answer;
  }

  readonly handlers: HandlerMap = {
    'consent.response': (response) => {
      const resolve = this.pending.get(response.requestId);
      if (!resolve) return; // not ours, or answered already: the first answer is final
      this.pending.delete(response.requestId);
      this.deps.store.update((s) => patchConsent(s, response.requestId, { state: response.granted ? 'granted' : 'refused' }));
      resolve(response.granted);
    },
  };

  /** The session is over: every open request counts as not granted. */
  dispose(): void {
    for (const resolve of this.pending.values()) resolve(false);
    this.pending.clear();
  }
}
