// CI's dependency audit: `npm audit --omit=dev` fails the run on a high or critical advisory in a
// production dependency. A registry without the advisory endpoint (a mirror answering 405) is no
// finding: the run says loudly that nothing was audited, and fails only with AUDIT_REQUIRED=1.
import { spawnSync } from 'node:child_process';
import { auditVerdict } from './audit-verdict.mjs';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
const { verdict, lines } = auditVerdict(run.stdout ?? '');
const say = (text) => console.log(`dependency audit: ${text}`);
for (const line of lines) say(line);
if (verdict === 'vulnerable') {
  say('FAILED: high or critical advisories in production dependencies (npm audit --omit=dev for details)');
  process.exit(1);
}
if (verdict === 'unavailable') {
  say('NOT AUDITED in this run: the registry offers no advisory service here');
  process.exit(process.env.AUDIT_REQUIRED === '1' ? 1 : 0);
}
say('no high or critical advisories');
