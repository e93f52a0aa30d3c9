import { onSupportSessionEnded } from '../desk/remote-sessions.js';
import type { Services } from '../http/env.js';

// Ending a session sits above the service desk (which attaches a summary when a session ends),
// while starting one (service.ts) sits below it: the desk starts sessions for incidents.

/** Who ended a session. */
export type EndedBy = 'technician' | 'customer' | 'admin' | 'system';

/** Ends a session (idempotent), audits who ended it, and closes its relay pairing at once. */
export async function endSupportSession(services: Services, sessionId: string, endedBy: EndedBy, reason: string, actor: { id?: string | undefined; email?: string | undefined; ip?: string | undefined } = {}): Promise<boolean> {
  const { db, clock, audit, relay } = services;
  const result = await db.updateTable('support_sessions').set({ status: 'ended', ended_at: clock.now(), ended_by: endedBy, end_reason: reason.slice(0, 200) })
    .where('id', '=', sessionId).where('status', 'in', ['waiting', 'active']).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  relay?.closeSession(sessionId, `ended by ${endedBy}`);
  await audit.record({ action: 'session.end', outcome: 'success', actorId: actor.id ?? null, actorEmail: actor.email ?? null, ip: actor.ip ?? null, targetType: 'support_session', targetId: sessionId, details: { endedBy, reason } });
  // A session started for a service-desk incident leaves its summary there; that never blocks ending.
  await onSupportSessionEnded(services, sessionId).catch((error: unknown) => services.logger.warn({ err: error, sessionId }, 'could not attach the session summary'));
  return true;
}
