import type { DiagnosticsView as Report } from '../../console/diagnostics.js';
import { formatDateTime } from '../../console/format.js';
import { t } from '../../i18n/index.js';

/**
 * A browser customer's diagnostics: only what the page could read, said plainly as
 * browser-reported (a browser may report anything; nothing here was checked on the computer).
 */
export function BrowserDiagnostics({ report }: { report: Report }) {
  const b = report.browser!;
  const collected = Date.parse(report.collectedAt);
  const facts: [string, string][] = [
    [t('console.diag.browser.browser'), b.description],
    [t('console.diag.browser.platform'), report.os.platform],
    [t('console.diag.browser.screen'), `${b.screen.width}×${b.screen.height} @${b.screen.pixelRatio}x, ${b.screen.colorDepth} bit`],
    [t('console.diag.browser.languages'), b.languages.join(', ')],
    [t('console.diag.browser.timeZone'), b.timeZone],
    [t('console.diag.cores'), String(report.cpu.cores || '—')],
    [t('console.diag.browser.memory'), b.deviceMemoryGiB === null ? '—' : `≥ ${b.deviceMemoryGiB} GiB`],
    [t('console.diag.browser.userAgent'), b.userAgent],
  ];
  return (
    <section class="card diagnostics" data-testid="diagnostics" data-source="browser" aria-labelledby="diag-title">
      <h2 id="diag-title">{t('console.diag.title')}</h2>
      <p class="hint" data-testid="diagnostics-browser-reported"><strong>{t('console.diag.browser.label')}</strong> {Number.isFinite(collected) ? formatDateTime(collected) : ''}</p>
      <dl class="diag-facts">
        {facts.map(([label, value]) => <div class="diag-fact" key={label}><dt>{label}</dt><dd>{value}</dd></div>)}
      </dl>
    </section>
  );
}
