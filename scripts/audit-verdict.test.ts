import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditVerdict } from './audit-verdict.mjs';

// npm 11's report shapes (auditReportVersion 2), cut to the fields the verdict reads.
const report = (counts: Record<string, number>, vulnerabilities: Record<string, unknown> = {}) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts } } });

test('no advisories: clean', () => {
  assert.equal(auditVerdict(report({})).verdict, 'clean');
});

test('moderate only: clean, but counted in the summary', () => {
  const result = auditVerdict(report({ moderate: 2 }));
  assert.equal(result.verdict, 'clean');
  assert.match(result.lines[0]!, /moderate 2/);
});

test('a high or a critical advisory fails, naming the package', () => {
  const vulnerable = { hono: { name: 'hono', severity: 'high', range: '<4.9.1', fixAvailable: true } };
  const high = auditVerdict(report({ high: 1 }, vulnerable));
  assert.equal(high.verdict, 'vulnerable');
  assert.ok(high.lines.some((l) => l.includes('hono') && l.includes('fix available')));
  assert.equal(auditVerdict(report({ critical: 1 }, { ws: { name: 'ws', severity: 'critical', fixAvailable: false } })).verdict, 'vulnerable');
});

test('a registry without the advisory endpoint (405, as here) is unavailable, not clean', () => {
  const refused = JSON.stringify({ message: '405 Method Not Allowed', statusCode: 405, uri: 'https://registry.example/-/npm/v1/security/advisories/bulk', error: { summary: '' } });
  const result = auditVerdict(refused);
  assert.equal(result.verdict, 'unavailable');
  assert.match(result.lines[0]!, /HTTP 405/);
  assert.equal(auditVerdict('').verdict, 'unavailable');
  assert.equal(auditVerdict('{"error":{"code":"ENOTFOUND","summary":"getaddrinfo"}}').verdict, 'unavailable');
});
