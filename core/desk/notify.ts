import type { Services } from '../http/env.js';
import { mailerFromConfig, type Mailer } from '../mail/mailer.js';
import type { IncidentRow } from './tables.js';

const mailers = new WeakMap<Services, Mailer>();
const pending = new WeakMap<Services, Set<Promise<void>>>();

/** Keeps a background mail in a set until it settles, so shutdown and tests can wait for it. */
function track(services: Services, sending: Promise<void>): Promise<void> {
  let set = pending.get(services);
  if (!set) {
    set = new Set();
    pending.set(services, set);
  }
  const mine = set;
  mine.add(sending);
  void sending.finally(() => mine.delete(sending));
  return sending;
}

/** Resolves when every notification started so far has been sent or has failed. */
export async function settleNotifications(services: Services): Promise<void> {
  await Promise.all([...(pending.get(services) ?? [])]);
}

/** The appliance's mailer, built from the config once. */
export function mailerOf(services: Services): Mailer {
  let mailer = mailers.get(services);
  if (!mailer) {
    mailer = mailerFromConfig(services.config);
    mailers.set(services, mailer);
  }
  return mailer;
}

/** What happened to an incident that its requester hears about. */
export type IncidentEvent =
  | { kind: 'created' }
  | { kind: 'comment'; body: string }
  | { kind: 'status'; status: string }
  | { kind: 'resolved'; resolution: string | null };

function compose(ref: string, title: string, event: IncidentEvent): { subject: string; text: string } {
  switch (event.kind) {
    case 'created': return { subject: `[${ref}] received: ${title}`, text: `We received your request ${ref} "${title}" and will get back to you.` };
    case 'comment': return { subject: `[${ref}] new reply: ${title}`, text: `There is a new reply to ${ref} "${title}":\n\n${event.body}` };
    case 'status': return { subject: `[${ref}] status ${event.status}: ${title}`, text: `${ref} "${title}" is now: ${event.status.replaceAll('_', ' ')}.` };
    case 'resolved': return { subject: `[${ref}] resolved: ${title}`, text: `${ref} "${title}" was resolved.${event.resolution ? `\n\n${event.resolution}` : ''}\n\nIf the problem persists, reopen it in the portal.` };
  }
}

/**
 * Tells the requester by e-mail, in the background: a failing mail server never fails the
 * request; it is logged. Only public information goes into mails (never internal comments).
 */
export function notifyRequester(services: Services, incident: IncidentRow, event: IncidentEvent): Promise<void> {
  const mailer = mailerOf(services);
  const sending = (async () => {
    if (!incident.requester_id) return;
    const requester = await services.db.selectFrom('users').select(['email', 'enabled']).where('id', '=', incident.requester_id).executeTakeFirst();
    if (!requester || requester.enabled !== 1) return;
    const { subject, text } = compose(`INC-${incident.number}`, incident.title, event);
    await mailer.send({ to: requester.email, subject, text });
  })().catch((error: unknown) => services.logger.warn({ err: error, incident: incident.id }, 'notification mail failed'));
  return track(services, sending);
}

/** Tells a technician that an incident was assigned to them (in the background, like above). */
export function notifyAssignee(services: Services, incident: IncidentRow): Promise<void> {
  const mailer = mailerOf(services);
  return track(services, (async () => {
    if (!incident.assignee_id) return;
    const assignee = await services.db.selectFrom('users').select(['email', 'enabled']).where('id', '=', incident.assignee_id).executeTakeFirst();
    if (!assignee || assignee.enabled !== 1) return;
    const ref = `INC-${incident.number}`;
    await mailer.send({ to: assignee.email, subject: `[${ref}] assigned to you: ${incident.title}`, text: `${ref} "${incident.title}" (priority ${incident.priority}) was assigned to you.` });
  })().catch((error: unknown) => services.logger.warn({ err: error, incident: incident.id }, 'notification mail failed')));
}
