import { readFileSync } from 'node:fs';
import type { Config } from '../../../config/schema.js';
import type { ForwardTarget } from './forwarder.js';

/** The forwarding targets the config asks for (none when no AUDIT_*_URL is set). */
export function forwardTargetsFromConfig(config: Pick<Config, 'auditSyslogUrl' | 'auditJsonUrl' | 'auditForwardCa'>): ForwardTarget[] {
  const ca = config.auditForwardCa ? readFileSync(config.auditForwardCa, 'utf8') : undefined;
  const targets: ForwardTarget[] = [];
  if (config.auditSyslogUrl) targets.push({ name: 'syslog', format: 'rfc5424', url: config.auditSyslogUrl, ...(ca && { ca }) });
  if (config.auditJsonUrl) targets.push({ name: 'json', format: 'json', url: config.auditJsonUrl, ...(ca && { ca }) });
  return targets;
}
