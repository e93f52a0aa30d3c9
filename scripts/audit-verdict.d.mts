/** What `npm audit --omit=dev --json` said, as a verdict for CI (see audit-verdict.mjs). */
export function auditVerdict(stdout: string): { verdict: 'clean' | 'vulnerable' | 'unavailable'; lines: string[] };
