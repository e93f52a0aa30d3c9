import type { Services } from '../http/env.js';
import { mailerFromConfig, type Mailer } from '../mail/mailer.js';
import { composeMail, type IncidentEvent } from './mail-texts.js';
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

export type { IncidentEvent } from './mail-texts.js';

/**
 * Tells the requester by e-mail, in the background: a failing mail server never fails the
 * request; it is logged. Only public information goes into mails (never internal comments).
 */
export function notifyRequester(services: Services, incident: IncidentRow, event: IncidentEvent): Promise<void> {
  const mailer = mailerOf(services);
  const sending = (async () => {
    if (!incident.requester_id) return;
    const requester = await services.db.selectFrom('users').select(['email', 'enabled', 'language']).where('id', '=', incident.requester_id).executeTakeFirst();
    if (!requester || requester.enabled !== 1) return;
    const { subject, text } = composeMail(requester.language, `INC-${incident.number}`, incident.title, event);
    await mailer.send({ to: requester.email, subject, text });
  })().catch((error: unknown) => services.logger.warn({ err: error, incident: incident.id }, 'notification mail failed'));
  return track(services, sending);
}

/** Tells the assigned technician about an assignment or the requester's reply or reopen (in the background, like above). */
export function notifyAssignee(services: Services, incident: IncidentRow, event: IncidentEvent = { kind: 'assigned', priority: incident.priority }): Promise<void> {
  const mailer = mailerOf(services);
  return track(services, (async () => {
    if (!incident.assignee_id) return;
    const assignee = await services.db.selectFrom('users').select(['email', 'enabled', 'language']).where('id', '=', incident.assignee_id).executeTakeFirst();
    if (!assignee || assignee.enabled !== 1) return;
    await mailer.send({ to: assignee.email, ...composeMail(assignee.language, `INC-${incident.number}`, incident.title, event) });
  })().catch((error: unknown) => services.logger.warn({ err: error, incident: incident.id }, 'notification mail failed')));
}
