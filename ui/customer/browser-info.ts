/**
 * What a page can honestly know about the computer it runs on: only what the browser reports
 * (user agent, platform, screen, languages, time zone). It is labelled as browser-reported
 * wherever it is shown, because a browser may report whatever it likes.
 */

interface UaData {
  brands?: { brand: string; version: string }[];
  platform?: string;
}

/** A short "Chrome 156 on Linux"-style description for the session list and the audit log. */
export function describeBrowser(nav: Navigator = navigator): string {
  const data = (nav as Navigator & { userAgentData?: UaData }).userAgentData;
  const brand = data?.brands?.find((b) => !/not.a.brand/i.test(b.brand) && b.brand !== 'Chromium') ?? data?.brands?.find((b) => b.brand === 'Chromium');
  const name = brand ? `${brand.brand} ${brand.version}` : fromUserAgent(nav.userAgent);
  const platform = data?.platform || nav.platform || 'unknown';
  return `${name} on ${platform}`.slice(0, 255);
}

/** Browser name and major version from a user agent string (Firefox and Safari have no userAgentData). */
function fromUserAgent(ua: string): string {
  for (const [name, pattern] of [['Edge', /Edg\/(\d+)/], ['Firefox', /Firefox\/(\d+)/], ['Chrome', /Chrome\/(\d+)/], ['Safari', /Version\/(\d+).*Safari/]] as const) {
    const match = pattern.exec(ua);
    if (match) return `${name} ${match[1]}`;
  }
  return 'Browser';
}
