import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeMail, type IncidentEvent } from './mail-texts.js';

const events: IncidentEvent[] = [{ kind: 'created' }, { kind: 'comment', body: 'Hi' }, { kind: 'status', status: 'waiting_on_customer' }, { kind: 'resolved', resolution: 'Cable' }, { kind: 'assigned', priority: 2 }, { kind: 'customer_reply', body: 'b' }, { kind: 'reopened', reason: 'r' }];

describe('notification texts', () => {
  it('speak German to German accounts and English otherwise', () => {
    assert.equal(composeMail('de', 'INC-1', 'Drucker', { kind: 'status', status: 'waiting_on_customer' }).subject, '[INC-1] wartet auf Ihre Antwort: Drucker');
    assert.equal(composeMail('de-AT', 'INC-1', 'x', { kind: 'created' }).subject, '[INC-1] eingegangen: x');
    assert.equal(composeMail(null, 'INC-1', 'x', { kind: 'created' }).subject, '[INC-1] received: x');
    assert.equal(composeMail('fr', 'INC-1', 'x', { kind: 'resolved', resolution: null }).subject, '[INC-1] resolved: x');
  });

  it('has every text in both languages, naming the ticket', () => {
    for (const lang of ['de', 'en']) {
      for (const event of events) {
        const mail = composeMail(lang, 'INC-9', 'T', event);
        assert.ok(mail.subject.startsWith('[INC-9]') && mail.text.includes('INC-9'), `${lang} ${event.kind}`);
      }
    }
  });
});
