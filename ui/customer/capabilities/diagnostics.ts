import type { PageCapability, PageContext } from '../session.js';
import { BROWSER_CLIENT_VERSION } from '../version.js';
import { describeBrowser } from '../browser-info.js';

/**
 * Diagnostics from a page: only what the browser reports about itself — user agent, platform,
 * screen, languages, time zone, cores, memory class. `source: 'browser'` marks the whole
 * report as browser-reported; nothing in it is checked or complete.
 */
export function browserReport(nav: Navigator = navigator, screenInfo: Screen = screen): Record<string, unknown> {
  const memory = (nav as Navigator & { deviceMemory?: number }).deviceMemory;
  return {
    source: 'browser',
    collectedAt: new Date().toISOString(),
    agentVersion: BROWSER_CLIENT_VERSION,
    os: { type: '', release: '', platform: nav.platform.slice(0, 100), arch: '', hostname: '', distro: null },
    cpu: { model: '', cores: nav.hardwareConcurrency || 0, loadAverage: [] },
    browser: {
      description: describeBrowser(nav),
      userAgent: nav.userAgent.slice(0, 500),
      languages: [...(nav.languages ?? [nav.language])].slice(0, 10),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: screenInfo.width, height: screenInfo.height, pixelRatio: globalThis.devicePixelRatio || 1, colorDepth: screenInfo.colorDepth },
      deviceMemoryGiB: typeof memory === 'number' ? memory : null,
      online: nav.onLine,
    },
  };
}

/** Diagnostics: after the customer's yes, one browser-reported report goes to the technician. */
export function diagnosticsCapability(ctx: PageContext): PageCapability {
  return {
    offers: {
      diagnostics: {
        granted: async (request) => {
          await ctx.send({ type: 'diagnostics.report', requestId: request.requestId, report: browserReport() });
        },
      },
    },
  };
}
