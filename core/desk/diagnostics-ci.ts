import { z } from 'zod';
import type { DB } from '../db/open.js';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../support/clock.js';
import type { DeskActor } from './actor.js';
import { createCi, findCi, updateCi } from './cmdb.js';
import { createLink } from './links.js';

const text = z.string().max(500);

/** The part of the agent's diagnostics report (agent/system/report.ts) that describes the computer. */
export const diagnosticsReportSchema = z.object({
  collectedAt: text,
  agentVersion: text,
  os: z.object({ type: text, release: text, platform: text, arch: text, hostname: text.min(1), distro: text.nullable() }),
  cpu: z.object({ model: text, cores: z.number().int().min(0).max(100_000), loadAverage: z.array(z.number()).max(10) }),
  memory: z.object({ totalBytes: z.number().min(0), freeBytes: z.number().min(0) }),
  disks: z.array(z.object({ mount: text, device: text, fsType: text, totalBytes: z.number().min(0), freeBytes: z.number().min(0) })).max(64),
  network: z.array(z.object({ name: text, mac: text.nullable(), addresses: z.array(z.unknown()).max(64) })).max(64),
}).passthrough();

/** A validated diagnostics report. */
export type DiagnosticsReport = z.output<typeof diagnosticsReportSchema>;

/** The computer's identity: its real MAC addresses (sorted), else its hostname. */
export function matchKeyOf(report: DiagnosticsReport): string {
  const macs = [...new Set(report.network.map((n) => n.mac).filter((m): m is string => !!m && m !== '00:00:00:00:00:00').map((m) => m.toLowerCase()))].sort();
  return macs.length ? `mac:${macs.join(',')}` : `host:${report.os.hostname.toLowerCase()}`;
}

/** The `computer` CI attributes a report yields. */
export function attributesOf(report: DiagnosticsReport, now: number): Record<string, unknown> {
  return {
    hostname: report.os.hostname, os: report.os.distro ?? `${report.os.type}`, osRelease: report.os.release, arch: report.os.arch, cpuModel: report.cpu.model,
    cpuCores: report.cpu.cores, memoryBytes: report.memory.totalBytes, diskTotalBytes: report.disks.reduce((sum, d) => sum + d.totalBytes, 0),
    macAddresses: matchKeyOf(report).startsWith('mac:') ? matchKeyOf(report).slice(4) : '', agentVersion: report.agentVersion, lastDiagnosticsAt: now,
  };
}

/** Whether the customer granted the diagnostics consent in this support session (the agent's audited consent event). */
export async function diagnosticsConsented(db: DB, sessionId: string): Promise<boolean> {
  const rows = await db.selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'permission.consent')
    .where('target_type', '=', 'support_session').where('target_id', '=', sessionId).execute();
  return rows.some((r) => r.outcome === 'allow' && (JSON.parse(r.details) as { capability?: string }).capability === 'diagnostics');
}

/**
 * Creates or updates the `computer` CI from a session's diagnostics, found by its MACs or
 * hostname; optionally links it to an incident. The caller checked session ownership and consent.
 */
export async function upsertComputerCi(db: DB, clock: Clock, actor: DeskActor, report: DiagnosticsReport, incidentId: string | undefined) {
  if (incidentId && !(await db.selectFrom('desk_incidents').select('id').where('id', '=', incidentId).executeTakeFirst())) {
    throw new ApiError('invalid_request', 'Unknown incident.', { field: 'incidentId' });
  }
  const key = matchKeyOf(report);
  const attributes = attributesOf(report, clock.now());
  const existing = await db.selectFrom('desk_cis').select('id').where('type_id', '=', 'computer').where('match_key', '=', key).executeTakeFirst();
  let created = false;
  let row;
  if (existing) {
    row = await updateCi(db, clock, actor, (await findCi(db, existing.id))!, { attributes });
  } else {
    row = await createCi(db, clock, actor, { name: report.os.hostname, typeId: 'computer', attributes }, 'diagnostics', key);
    created = true;
  }
  if (incidentId) {
    await createLink(db, { type: 'incident', id: incidentId }, { type: 'ci', id: row.id }, actor.id, clock.now()).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === 'conflict')) throw error;
    });
  }
  return { row, created };
}
