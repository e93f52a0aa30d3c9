import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { CUSTOMER, logIn, startDeskTestbed, TECH, type DeskTestbed } from './desk-testbed.js';

// A portal customer and a service-desk technician in two real browsers against the real
// appliance: the customer reports an incident, the technician answers with a public reply and an
// internal note, and the customer sees the reply but never the note — not in the page, not in
// what the portal API sends to the browser.
const marker = (label: string) => `${label}-${randomBytes(5).toString('hex')}`;

describe('portal and service desk conversation', () => {
  let bed: DeskTestbed;
  before(async () => {
    bed = await startDeskTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it('the customer sees the public reply and not the internal note', async () => {
    const title = marker('Printer offline');
    const description = marker('It says paper jam');
    const reply = marker('Please switch it off and on');
    const note = marker('INTERNAL known firmware bug');

    // The customer lands in the portal and reports the incident.
    const customer = await logIn(bed, CUSTOMER, '/portal');
    await customer.page.click('nav a[href="/portal/new"]');
    await customer.page.getByTestId('portal-title').fill(title);
    await customer.page.getByTestId('portal-description').fill(description);
    await customer.page.getByTestId('portal-submit').click();
    await customer.page.waitForURL('**/portal/incidents/*');
    const incidentId = customer.page.url().split('/').pop()!;
    await customer.page.getByTestId('portal-incident-description').filter({ hasText: description }).waitFor();
    assert.equal(await customer.page.getByTestId('incident-status').getAttribute('data-status'), 'new');

    // The technician finds it in the queue (by full-text search) and answers twice.
    const tech = await logIn(bed, TECH, '/console');
    await tech.page.click('nav a[href="/desk/incidents"]');
    await tech.page.getByTestId('incident-search').fill(title);
    await tech.page.getByTestId('incident-search-go').click();
    await tech.page.getByTestId('incident-row').filter({ hasText: title }).getByRole('link', { name: title }).click();
    await tech.page.waitForURL(`**/desk/incidents/${incidentId}`);
    await tech.page.getByTestId('sla-response').waitFor();
    await tech.page.getByTestId('comment-body').fill(reply);
    await tech.page.getByTestId('comment-public').click();
    await tech.page.locator('[data-testid="desk-comment"][data-visibility="public"]').filter({ hasText: reply }).waitFor();
    await tech.page.getByTestId('comment-body').fill(note);
    await tech.page.getByTestId('comment-internal').click();
    await tech.page.locator('[data-testid="desk-comment"][data-visibility="internal"]').filter({ hasText: note }).waitFor();
    assert.match(await tech.page.locator('.comment.internal').innerText(), /internal note/i, 'the note is labelled as internal');
    // Files: an internal one (the default) and a public one.
    await tech.page.getByTestId('attachment-input').setInputFiles({ name: 'internal-notes.txt', mimeType: 'text/plain', buffer: Buffer.from(`${note}\n`) });
    await tech.page.getByTestId('attachment').filter({ hasText: 'internal-notes.txt' }).waitFor();
    await tech.page.locator('#attach-visibility').selectOption('public');
    await tech.page.getByTestId('attachment-input').setInputFiles({ name: 'howto.txt', mimeType: 'text/plain', buffer: Buffer.from('Hold the power button.\n') });
    await tech.page.getByTestId('attachment').filter({ hasText: 'howto.txt' }).waitFor();

    // The technician needs an answer from the customer.
    await tech.page.getByTestId('move-in_progress').click();
    await tech.page.getByTestId('move-waiting_on_customer').click();
    await tech.page.locator('[data-testid="incident-status"][data-status="waiting_on_customer"]').waitFor();

    // The customer's page, reloaded: the reply is there, marked as from the service desk; the note is nowhere.
    const portalAnswer = customer.page.waitForResponse((r) => r.url().endsWith(`/api/v1/portal/incidents/${incidentId}`) && r.request().method() === 'GET');
    await customer.page.reload();
    const body = await (await portalAnswer).text();
    const comment = customer.page.getByTestId('portal-comment').filter({ hasText: reply });
    await comment.waitFor();
    assert.match(await comment.innerText(), /Service desk/);
    assert.equal(await customer.page.getByTestId('portal-comment').count(), 1, 'only the public reply');
    assert.ok(!(await customer.page.content()).includes(note), 'the internal note is not in the customer page');
    assert.ok(body.includes(reply) && !body.includes(note), 'the portal API sent the reply and not the note');
    assert.ok(!body.includes('internal'), 'no internal field or file in the portal answer');
    await customer.page.getByTestId('attachment').filter({ hasText: 'howto.txt' }).waitFor();
    assert.equal(await customer.page.getByTestId('attachment').count(), 1, 'only the public file');
    const download = customer.page.waitForEvent('download');
    await customer.page.getByRole('link', { name: 'howto.txt' }).click();
    assert.equal(await (await download).suggestedFilename(), 'howto.txt');
    await customer.page.getByTestId('attachment-input').setInputFiles({ name: 'error.txt', mimeType: 'text/plain', buffer: Buffer.from('E42 paper jam\n') });
    await customer.page.getByTestId('attachment').filter({ hasText: 'error.txt' }).waitFor();
    await customer.page.getByTestId('attachment-input').setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await customer.page.locator('.error').filter({ hasText: 'not allowed' }).waitFor();

    assert.equal(await customer.page.getByTestId('incident-status').getAttribute('data-status'), 'waiting_on_customer');
    await customer.page.getByRole('status').filter({ hasText: 'waiting for your answer' }).waitFor();

    // The customer's list shows the incident with its status.
    await customer.page.click('nav a[href="/portal"]');
    await customer.page.getByTestId('portal-incident-row').filter({ hasText: title }).waitFor();

    // The customer replies; the technician sees it as a public comment.
    const answer = marker('Did that, still broken');
    await customer.page.getByRole('link', { name: title }).click();
    await customer.page.getByTestId('portal-reply').fill(answer);
    await customer.page.getByTestId('portal-reply-send').click();
    await customer.page.getByTestId('portal-comment').filter({ hasText: answer }).waitFor();
    await customer.page.locator('[data-testid="incident-status"][data-status="in_progress"]').waitFor();
    await tech.page.reload();
    await tech.page.locator('[data-testid="desk-comment"][data-visibility="public"]').filter({ hasText: answer }).waitFor();
    await tech.page.getByTestId('attachment').filter({ hasText: 'error.txt' }).waitFor();

    // Resolved by the desk; the customer is not convinced and reopens it.
    await tech.page.locator('#inc-resolution').fill('Firmware updated.');
    await tech.page.getByTestId('move-resolved').click();
    await tech.page.locator('[data-testid="incident-status"][data-status="resolved"]').waitFor();
    await customer.page.reload();
    await customer.page.locator('.ticket-text', { hasText: 'Firmware updated.' }).waitFor();
    await customer.page.getByTestId('portal-reopen').click();
    await customer.page.locator('[data-testid="incident-status"]:not([data-status="resolved"])').waitFor();

    assert.deepEqual([...customer.problems, ...tech.problems], []);
  });

  it('a customer cannot open the desk and a technician cannot open the portal', async () => {
    const customer = await logIn(bed, CUSTOMER, '/portal');
    await customer.page.goto(`${bed.appliance.url}/desk/incidents`);
    await customer.page.waitForURL('**/portal');
    assert.equal(await customer.page.locator('nav a[href="/desk/incidents"]').count(), 0);
    const tech = await logIn(bed, TECH, '/console');
    await tech.page.goto(`${bed.appliance.url}/portal`);
    await tech.page.waitForURL('**/console');
    // A technician whose groups do not grant the service desk has no desk either.
    const { db, clock } = bed.appliance.services;
    const plain = { email: 'pete@example.test', password: 'Plain-secret-2026' };
    await insertUser(db, clock, { email: plain.email, role: 'technician', passwordHash: await hashPassword(plain.password), displayName: 'Pete' });
    const pete = await logIn(bed, plain, '/console');
    assert.equal(await pete.page.locator('nav a[href="/desk/incidents"]').count(), 0);
    await pete.page.goto(`${bed.appliance.url}/desk/incidents/any`);
    await pete.page.waitForURL('**/console');
  });
});
