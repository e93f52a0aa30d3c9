import { collectReport, fitReport, type DiagnosticsReport } from '../system/report.js';
import type { AgentCapability, CapabilityContext } from './types.js';

/** Room for the report in a message header (64 KiB) with its envelope. */
const MAX_REPORT_BYTES = 60 * 1024;

/** Diagnostics: after the customer agreed, one report of this computer goes to the technician. */
export function diagnosticsCapability(ctx: CapabilityContext, collect: () => Promise<DiagnosticsReport> = collectReport): AgentCapability {
  return {
    id: 'diagnostics',
    consents: {
      diagnostics: {
        kind: 'confirm',
        granted: async (request) => {
          const report = fitReport(await collect(), MAX_REPORT_BYTES);
          await ctx.send({ type: 'diagnostics.report', requestId: request.requestId, report: report as unknown as Record<string, unknown> });
        },
      },
    },
  };
}
