// What `npm audit --omit=dev --json` said, as a verdict for CI: plain JavaScript because .ci/run
// calls it before `npm ci` (npm audit reads package-lock.json alone, so nothing needs installing).

/**
 * @param {string} stdout npm audit's JSON output
 * @returns {{ verdict: 'clean' | 'vulnerable' | 'unavailable', lines: string[] }}
 */
export function auditVerdict(stdout) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return { verdict: 'unavailable', lines: ['npm audit printed no JSON report'] };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!counts || typeof counts !== 'object') {
    // The advisory service refused or was unreachable: that is no finding either way.
    const why = report?.statusCode ? `HTTP ${report.statusCode} from ${report.uri ?? 'the registry'}` : (report?.message ?? report?.error?.summary ?? 'no report');
    return { verdict: 'unavailable', lines: [`the advisory service gave no report (${why})`] };
  }
  const serious = Object.values(report.vulnerabilities ?? {})
    .filter((v) => v && (v.severity === 'high' || v.severity === 'critical'))
    .map((v) => `${v.severity}: ${v.name} ${v.range ?? ''} ${v.fixAvailable ? '(fix available)' : '(no fix yet)'}`.trim());
  const summary = `info ${counts.info ?? 0}, low ${counts.low ?? 0}, moderate ${counts.moderate ?? 0}, high ${counts.high ?? 0}, critical ${counts.critical ?? 0}`;
  if ((counts.high ?? 0) + (counts.critical ?? 0) > 0) return { verdict: 'vulnerable', lines: [summary, ...serious] };
  return { verdict: 'clean', lines: [summary] };
}
