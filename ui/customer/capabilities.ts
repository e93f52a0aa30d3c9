import { diagnosticsCapability } from './capabilities/diagnostics.js';
import { filesCapability, type PageFiles } from './capabilities/files.js';
import { screenCapability, type PageScreen } from './capabilities/screen/index.js';
import type { PageCapability, PageContext } from './session.js';

/** The page's modules by name. */
export interface PageModules extends Record<string, PageCapability> {
  files: PageFiles;
  diagnostics: PageCapability;
  screen: PageScreen;
}

/**
 * What the browser page can do for a technician, one module each. What a page cannot do is
 * simply not offered, so the consent desk refuses it without asking (remote control: a page
 * cannot move the customer's mouse).
 */
export function pageCapabilities(ctx: PageContext): PageModules {
  return { files: filesCapability(ctx), diagnostics: diagnosticsCapability(ctx), screen: screenCapability(ctx) };
}
