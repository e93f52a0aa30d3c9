import type { DB } from '../db/open.js';
import type { Services } from '../http/env.js';
import { createSupportSession, type Actor } from '../sessions/service.js';
import { findSessionRow } from '../sessions/support-sessions.js';
import { systemActor, type DeskActor } from './actor.js';
import { addComment } from './comments.js';
import { recordHistory } from './history.js';
import type { IncidentRow } from './tables.js';

/** Opens a support session (PIN) for an incident and remembers the link. */
export async function startSessionForIncident(services: Services, actor: Actor, deskActor: DeskActor, incident: IncidentRow) {
  const created = await createSupportSession(services, actor, `incident:INC-${incident.number}`);
  const now = services.clock.now();
  await services.db.insertInto('desk_incident_sessions').values({ session_id: created.session.id, incident_id: incident.id, created_by: actor.userId, created_at: now, summarized_at: null }).execute();
  await recordHistory(services.db, 'incident', incident.id, deskActor, now, [{ field: 'remoteSession', oldValue: null, newValue: created.session.id }]);
  return created;
}

/** Support sessions started for an incident, newest first. */
export async function sessionsOfIncident(db: DB, incidentId: string) {
  const rows = await db.selectFrom('desk_incident_sessions').innerJoin('support_sessions', 'support_sessions.id', 'desk_incident_sessions.session_id')
    .select(['support_sessions.id', 'desk_incident_sessions.created_at', 'support_sessions.status', 'support_sessions.ended_at'])
    .where('desk_incident_sessions.incident_id', '=', incidentId).orderBy('desk_incident_sessions.created_at', 'desc').execute();
  return rows.map((r) => ({ sessionId: r.id, createdAt: r.created_at, status: r.status, endedAt: r.ended_at }));
}

const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());

/** The summary text of a session from its row and its audit trail. */
async function summaryText(db: DB, sessionId: string): Promise<string | null> {
  const session = await findSessionRow(db, sessionId);
  if (!session) return null;
  const technician = await db.selectFrom('users').select(['display_name', 'email']).where('id', '=', session.technician_id).executeTakeFirst();
  const events = await db.selectFrom('audit_log').select(['action', 'outcome', 'details', 'at']).where('target_type', '=', 'support_session').where('target_id', '=', sessionId).orderBy('seq').execute();
  const consents = events.filter((e) => e.action === 'permission.consent').map((e) => {
    const d = JSON.parse(e.details) as { capability?: string };
    return `- ${d.capability ?? '?'}: ${e.outcome === 'allow' ? 'granted' : 'refused'} (${iso(e.at)})`;
  });
  const files = events.filter((e) => e.action === 'file.transfer').map((e) => {
    const d = JSON.parse(e.details) as { direction?: string; name?: string; size?: number; outcome?: string };
    return `- ${d.direction === 'to_customer' ? 'to customer' : 'from customer'}: ${d.name ?? '?'} (${d.size ?? 0} bytes, ${d.outcome ?? e.outcome})`;
  });
  const requests = events.filter((e) => e.action === 'permission.request').map((e) => {
    const d = JSON.parse(e.details) as { capability?: string };
    return `- ${d.capability ?? '?'}: ${e.outcome === 'allow' ? 'allowed by policy' : 'refused by policy'} (${iso(e.at)})`;
  });
  const activity = events.filter((e) => e.action.startsWith('screen.') || e.action === 'permission.stopped').map((e) => {
    const d = JSON.parse(e.details) as { capability?: string };
    return `- ${e.action === 'permission.stopped' ? `${d.capability ?? '?'} stopped` : e.action.slice('screen.'.length)} (${iso(e.at)})`;
  });
  const info = JSON.parse(session.customer_info) as { hostname?: string; os?: string; client?: string };
  return [
    'Remote support session summary',
    `Technician: ${technician ? `${technician.display_name} <${technician.email}>` : session.technician_id}`,
    `Started: ${iso(session.created_at)}; customer connected: ${iso(session.redeemed_at)}; ended: ${iso(session.ended_at)} by ${session.ended_by ?? '?'} (${session.end_reason ?? ''})`,
    ...(info.client === 'browser' ? [`Customer used: the browser, no program installed (${info.os ?? ''})`]
      : info.hostname ? [`Customer used: the support program`, `Computer: ${info.hostname} (${info.os ?? ''})`] : []),
    'Permissions requested by the technician:', ...(requests.length ? requests : ['- none']),
    'Customer decisions:', ...(consents.length ? consents : ['- none']),
    ...(activity.length ? ['Screen and stops:', ...activity] : []),
    'Files:', ...(files.length ? files : ['- none']),
  ].join('\n');
}

/**
 * Called when a support session ends: if it was started for an incident, attaches a summary
 * (who, when, permissions, files) as an internal comment, once.
 */
export async function onSupportSessionEnded(services: Services, sessionId: string): Promise<void> {
  const { db, clock } = services;
  const link = await db.selectFrom('desk_incident_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  if (!link || link.summarized_at !== null) return;
  const claimed = await db.updateTable('desk_incident_sessions').set({ summarized_at: clock.now() }).where('session_id', '=', sessionId).where('summarized_at', 'is', null).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return;
  const incident = await db.selectFrom('desk_incidents').selectAll().where('id', '=', link.incident_id).executeTakeFirst();
  const text = await summaryText(db, sessionId);
  if (!incident || !text) return;
  await addComment(services, systemActor, incident, text, 'internal');
}
