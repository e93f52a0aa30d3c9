/** What happened to an incident that its requester hears about. */
export type IncidentEvent =
  | { kind: 'created' }
  | { kind: 'comment'; body: string }
  | { kind: 'status'; status: string }
  | { kind: 'resolved'; resolution: string | null }
  | { kind: 'assigned'; priority: number }
  | { kind: 'customer_reply'; body: string }
  | { kind: 'reopened'; reason: string };

/** Languages the mails speak (the account's language, English otherwise). */
export type MailLanguage = 'de' | 'en';

const statusNames: Record<MailLanguage, Record<string, string>> = {
  en: { new: 'new', assigned: 'assigned', in_progress: 'in progress', waiting_on_customer: 'waiting for your reply', resolved: 'resolved', closed: 'closed' },
  de: { new: 'neu', assigned: 'zugewiesen', in_progress: 'in Bearbeitung', waiting_on_customer: 'wartet auf Ihre Antwort', resolved: 'gelöst', closed: 'geschlossen' },
};

type Texts = { [K in IncidentEvent['kind']]: (ref: string, title: string, event: Extract<IncidentEvent, { kind: K }>) => { subject: string; text: string } };

const texts: Record<MailLanguage, Texts> = {
  en: {
    created: (ref, title) => ({ subject: `[${ref}] received: ${title}`, text: `We received your request ${ref} "${title}" and will get back to you.` }),
    comment: (ref, title, e) => ({ subject: `[${ref}] new reply: ${title}`, text: `There is a new reply to ${ref} "${title}":\n\n${e.body}` }),
    status: (ref, title, e) => ({ subject: `[${ref}] ${statusNames.en[e.status] ?? e.status}: ${title}`, text: `${ref} "${title}" is now: ${statusNames.en[e.status] ?? e.status}.` }),
    resolved: (ref, title, e) => ({ subject: `[${ref}] resolved: ${title}`, text: `${ref} "${title}" was resolved.${e.resolution ? `\n\n${e.resolution}` : ''}\n\nIf the problem persists, reopen it in the portal.` }),
    assigned: (ref, title, e) => ({ subject: `[${ref}] assigned to you: ${title}`, text: `${ref} "${title}" (priority ${e.priority}) was assigned to you.` }),
    customer_reply: (ref, title, e) => ({ subject: `[${ref}] customer replied: ${title}`, text: `The requester replied to ${ref} "${title}":\n\n${e.body}` }),
    reopened: (ref, title, e) => ({ subject: `[${ref}] reopened: ${title}`, text: `The requester reopened ${ref} "${title}".${e.reason ? `\n\n${e.reason}` : ''}` }),
  },
  de: {
    created: (ref, title) => ({ subject: `[${ref}] eingegangen: ${title}`, text: `Wir haben Ihre Anfrage ${ref} „${title}“ erhalten und melden uns bei Ihnen.` }),
    comment: (ref, title, e) => ({ subject: `[${ref}] neue Antwort: ${title}`, text: `Es gibt eine neue Antwort zu ${ref} „${title}“:\n\n${e.body}` }),
    status: (ref, title, e) => ({ subject: `[${ref}] ${statusNames.de[e.status] ?? e.status}: ${title}`, text: `${ref} „${title}“ ist jetzt: ${statusNames.de[e.status] ?? e.status}.` }),
    resolved: (ref, title, e) => ({ subject: `[${ref}] gelöst: ${title}`, text: `${ref} „${title}“ wurde gelöst.${e.resolution ? `\n\n${e.resolution}` : ''}\n\nFalls das Problem weiter besteht, öffnen Sie es im Portal erneut.` }),
    assigned: (ref, title, e) => ({ subject: `[${ref}] Ihnen zugewiesen: ${title}`, text: `${ref} „${title}“ (Priorität ${e.priority}) wurde Ihnen zugewiesen.` }),
    customer_reply: (ref, title, e) => ({ subject: `[${ref}] Antwort des Kunden: ${title}`, text: `Der Anfragende hat zu ${ref} „${title}“ geantwortet:\n\n${e.body}` }),
    reopened: (ref, title, e) => ({ subject: `[${ref}] wieder geöffnet: ${title}`, text: `Der Anfragende hat ${ref} „${title}“ wieder geöffnet.${e.reason ? `\n\n${e.reason}` : ''}` }),
  },
};

/** Subject and text of a notification in the recipient's language. */
export function composeMail(language: string | null, ref: string, title: string, event: IncidentEvent): { subject: string; text: string } {
  const lang: MailLanguage = language?.toLowerCase().startsWith('de') ? 'de' : 'en';
  return (texts[lang][event.kind] as (r: string, t: string, e: IncidentEvent) => { subject: string; text: string })(ref, title, event);
}
