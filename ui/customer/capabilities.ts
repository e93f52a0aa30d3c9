import { diagnosticsCapability } from './capabilities/diagnostics.js';
import type { PageCapability, PageContext } from './session.js';

/**
 * What the browser page can do for a technician, one module each. What a page cannot do is
 * simply not offered, so the consent desk refuses it without asking (remote control: a page
 * cannot move the customer's mouse).
 */
export function pageCapabilities(ctx: PageContext): PageCapability[] {
  return [diagnosticsCapability(ctx)];
}
