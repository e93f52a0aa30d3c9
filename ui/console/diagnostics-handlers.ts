import { readReport } from './diagnostics.js';
import type { HandlerMap } from './handlers.js';
import type { SessionState } from './state.js';
import type { Store } from './store.js';

/** The customer's diagnostics report (sent after they agreed) replaces any earlier one. */
export function diagnosticsHandlers(store: Store<SessionState>): HandlerMap {
  return {
    'diagnostics.report': (message) => store.update((s) => ({ ...s, diagnostics: readReport(message.report), diagnosticsReport: message.report })),
  };
}
