import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mailerFromConfig, nullMailer } from './mailer.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

describe('mailer', () => {
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
  });
  after(() => sink.close());

  it('delivers a mail over a real SMTP conversation on loopback', async () => {
    const mailer = mailerFromConfig({ smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecurity: 'none', smtpUser: undefined, smtpPassword: undefined, smtpFrom: 'Desk <desk@example.test>' });
    await mailer.send({ to: 'ann@example.test', subject: 'Hello\r\nBcc: evil@example.test', text: 'Grüße aus dem Service Desk' });
    mailer.close();
    const [mail] = await sink.waitFor(1);
    assert.equal(mail!.from, 'desk@example.test');
    assert.deepEqual(mail!.to, ['ann@example.test']);
    assert.match(mail!.raw, /Subject: Hello Bcc: evil@example.test/);
    assert.doesNotMatch(mail!.raw, /^Bcc:/m);
  });

  it('is a null mailer without SMTP_HOST', () => {
    const mailer = mailerFromConfig({ smtpHost: undefined, smtpPort: 587, smtpSecurity: 'starttls', smtpUser: undefined, smtpPassword: undefined, smtpFrom: 'x@y.z' });
    assert.equal(mailer, nullMailer);
  });

  it('fails when STARTTLS is required but the server does not offer it', async () => {
    const mailer = mailerFromConfig({ smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecurity: 'starttls', smtpUser: undefined, smtpPassword: undefined, smtpFrom: 'x@example.test' });
    await assert.rejects(mailer.send({ to: 'a@example.test', subject: 's', text: 't' }));
    mailer.close();
  });
});
