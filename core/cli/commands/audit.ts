import { formatJsonLine } from '../../audit/forward/json-line.js';
import { formatRfc5424, localOrigin } from '../../audit/forward/rfc5424.js';
import { verifyAuditChain } from '../../audit/verify.js';
import { CliError, parseArgs, type Command } from '../command.js';

/** `rescuebox audit verify`: recomputes the hash chain; exit 1 when it is broken. */
export const auditVerify: Command = {
  name: 'audit verify',
  usage: 'rescuebox audit verify',
  summary: 'Check the hash chain of the audit log (exit 1 if an entry was altered, removed or reordered).',
  async run(_args, ctx) {
    const report = await verifyAuditChain(await ctx.db());
    if (report.ok) {
      ctx.out(`Audit log intact: ${report.entries} entries, hash chain verified.`);
      return 0;
    }
    ctx.err(`Audit log TAMPERED at entry ${report.brokenAt}: ${report.problem}.`);
    return 1;
  },
};

/** `rescuebox audit export`: the audit log as JSON lines or RFC 5424 lines on stdout. */
export const auditExport: Command = {
  name: 'audit export',
  usage: 'rescuebox audit export [--format json|syslog] [--after SEQ]',
  summary: 'Print audit entries (after SEQ) as JSON lines (default) or RFC 5424 syslog lines, for a SIEM import.',
  async run(args, ctx) {
    const { options } = parseArgs(args, ['format', 'after']);
    const format = options.get('format') ?? 'json';
    if (format !== 'json' && format !== 'syslog') throw new CliError('--format must be json or syslog');
    const after = Number(options.get('after') ?? 0);
    if (!Number.isInteger(after) || after < 0) throw new CliError('--after must be a sequence number');
    const db = await ctx.db();
    const origin = localOrigin();
    for (let last = after; ;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', last).orderBy('seq').limit(1000).execute();
      for (const row of rows) ctx.out(format === 'json' ? formatJsonLine(row).trimEnd() : formatRfc5424(row, origin));
      if (rows.length < 1000) return 0;
      last = rows[rows.length - 1]!.seq;
    }
  },
};
