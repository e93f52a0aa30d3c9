import type { ProgramListing } from '../../../core/http/routes/downloads/programs.js';

/**
 * Which support program fits the customer's computer, from what the browser says about it.
 * Pure functions of the user agent (and, where Chromium offers them, its client hints) so the
 * choice is tested without a browser; the page calls `detectPlatform()` once.
 */

/** A program target, macOS (no program: the browser client), or unknown (the customer picks). */
export type CustomerPlatform = ProgramListing['target'] | 'macos' | 'other';

/** The parts of `navigator.userAgentData` the choice reads (Chromium only). */
export interface PlatformHints {
  platform?: string;
  architecture?: string;
  bitness?: string;
}

/**
 * Reads the user agent. Phones and tablets (Android, iPhone, iPad), Chrome OS and anything
 * unknown get no preselection. Chromium reports "Linux x86_64" on every Linux since its user
 * agent was frozen, so an arm computer is only recognised from the client hints (or Firefox's
 * "Linux aarch64").
 */
export function platformFromUserAgent(userAgent: string, hints: PlatformHints = {}): CustomerPlatform {
  const ua = userAgent;
  if (/Android|iPhone|iPad|iPod|CrOS/i.test(ua)) return 'other';
  if (/Windows NT/i.test(ua)) return /ARM64|aarch64/i.test(ua) || hints.architecture === 'arm' ? 'other' : 'win-x64';
  if (/Macintosh|Mac OS X/i.test(ua)) return 'macos';
  if (/Linux|X11/i.test(ua)) {
    if (/aarch64|arm64|armv8/i.test(ua) || (hints.architecture === 'arm' && hints.bitness === '64')) return 'linux-arm64';
    if (/armv[67]|i[3-6]86(?!_64)/i.test(ua) || hints.architecture === 'arm') return 'other';
    return /x86_64|amd64|x64/i.test(ua) || /^x86$/.test(hints.architecture ?? '') ? 'linux-x64' : 'other';
  }
  return 'other';
}

interface UserAgentData {
  platform?: string;
  getHighEntropyValues?(hints: string[]): Promise<PlatformHints>;
}

/** The customer's platform: the user agent, refined by Chromium's architecture hints where given. */
export async function detectPlatform(nav: Navigator = navigator): Promise<CustomerPlatform> {
  const data = (nav as Navigator & { userAgentData?: UserAgentData }).userAgentData;
  let hints: PlatformHints = {};
  // Only trust the hints when they describe the same system as the user agent (an overridden
  // user agent leaves the real hints behind).
  if (data?.platform && data.getHighEntropyValues && nav.userAgent.includes(data.platform)) {
    hints = await data.getHighEntropyValues(['architecture', 'bitness']).catch(() => ({}));
  }
  return platformFromUserAgent(nav.userAgent, hints);
}
