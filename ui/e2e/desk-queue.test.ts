import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { CUSTOMER, logIn, startDeskTestbed, TECH, type DeskTestbed } from './desk-testbed.js';

// The technician's side in a real browser: queues, filters, bulk actions, the incident page's
// status moves, SLA, files, history, and "start a remote session for this incident" with its PIN.

/** Creates incidents through the API as the logged-in technician (same cookie, CSRF token from /me). */
async function createIncidents(page: Page, base: string, titles: string[], requesterId: string): Promise<string[]> {
  const me = await (await page.request.get(`${base}/api/v1/me`)).json() as { csrfToken: string };
  const ids: string[] = [];
  for (const title of titles) {
    const res = await page.request.post(`${base}/api/v1/desk/incidents`, {
      headers: { 'X-CSRF-Token': me.csrfToken },
      data: { title, description: `About ${title}`, category: 'hardware', impact: 'high', urgency: 'high', requesterId },
    });
    assert.equal(res.status(), 201, await res.text());
    ids.push(((await res.json()) as { incident: { id: string } }).incident.id);
  }
  return ids;
}

describe('service desk queues and incident page', () => {
  let bed: DeskTestbed;
  before(async () => {
    bed = await startDeskTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it('filters, bulk-assigns, moves an incident through its workflow and starts a remote session', async () => {
    const tech = await logIn(bed, TECH, '/console');
    const page = tech.page;
    await page.goto(`${bed.appliance.url}/desk/incidents`);
    const customer = await bed.appliance.services.db.selectFrom('users').select('id').where('email', '=', CUSTOMER.email).executeTakeFirstOrThrow();
    const [a, b, c] = await createIncidents(page, bed.appliance.url, ['Mail down', 'VPN drops', 'Screen flickers'], customer.id);
    await page.reload();
    await page.getByTestId('incident-row').nth(2).waitFor();
    await page.locator(`[data-id="${a}"] [data-testid="sla-resolution"]`).filter({ hasText: 'left' }).waitFor();

    // Bulk: two incidents to the Hotline group and to Tom, in progress.
    await page.getByLabel('Select INC-', { exact: false }).first().waitFor();
    await page.locator(`[data-id="${a}"] input[type="checkbox"]`).check();
    await page.locator(`[data-id="${b}"] input[type="checkbox"]`).check();
    await page.getByTestId('bulk-bar').waitFor();
    await page.locator('#bulk-group').selectOption({ label: 'Hotline' });
    await page.locator('#bulk-assignee').selectOption({ label: TECH.name });
    await page.locator('#bulk-status').selectOption('in_progress');
    await page.getByTestId('bulk-apply').click();
    await page.locator(`[data-id="${a}"] [data-status="in_progress"]`).waitFor();
    await page.locator(`[data-id="${b}"] [data-status="in_progress"]`).waitFor();
    assert.equal(await page.locator(`[data-id="${c}"] [data-status="new"]`).count(), 1, 'the unselected incident is untouched');
    // A move the workflow forbids for one of them is reported, the others still change.
    await page.locator(`[data-id="${a}"] input[type="checkbox"]`).check();
    await page.locator(`[data-id="${c}"] input[type="checkbox"]`).check();
    await page.locator('#bulk-status').selectOption('waiting_on_customer');
    await page.getByTestId('bulk-apply').click();
    await page.getByTestId('bulk-failed').filter({ hasText: '1 incidents were not changed: status move not allowed' }).waitFor();
    await page.locator(`[data-id="${a}"] [data-status="waiting_on_customer"]`).waitFor();

    // Queue and filters: the Hotline queue, then "assigned to me", then full-text search.
    await page.getByTestId('queue').filter({ hasText: 'Hotline' }).click();
    await page.locator(`[data-testid="incident-row"][data-id="${c}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('incident-row').count(), 2);
    await page.getByTestId('queue').filter({ hasText: 'No group' }).click();
    await page.locator(`[data-testid="incident-row"][data-id="${c}"]`).waitFor();
    assert.equal(await page.getByTestId('incident-row').count(), 1);
    await page.getByRole('button', { name: 'All groups' }).click();
    await page.locator('#inc-assignee').selectOption('me');
    await page.locator(`[data-testid="incident-row"][data-id="${c}"]`).waitFor({ state: 'detached' });
    await page.locator('#inc-assignee').selectOption('');
    await page.getByTestId('incident-search').fill('flickers');
    await page.getByTestId('incident-search-go').click();
    await page.locator(`[data-testid="incident-row"][data-id="${a}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('incident-row').count(), 1);

    // The incident page: resolve with a resolution, reopen, file, history, remote session.
    await page.getByRole('link', { name: 'Screen flickers' }).click();
    await page.waitForURL(`**/desk/incidents/${c}`);
    await page.getByTestId('sla-response').waitFor();
    await page.locator('#inc-assignee').selectOption({ label: TECH.name });
    await page.locator('[data-testid="incident-status"][data-status="assigned"]').waitFor();
    await page.locator('#inc-resolution').fill('Replaced the cable.');
    await page.getByTestId('move-resolved').click();
    await page.locator('[data-testid="incident-status"][data-status="resolved"]').waitFor();
    await page.getByTestId('sla-resolution').filter({ hasText: /Met/ }).waitFor();
    await page.getByTestId('reopen').click();
    await page.locator('[data-testid="incident-status"][data-status="assigned"]').waitFor();
    await page.getByTestId('attachment-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('cable serial 42\n') });
    await page.getByTestId('attachment').filter({ hasText: 'notes.txt' }).waitFor();
    await page.getByTestId('history').locator('summary').click();
    await page.getByTestId('history').locator('li').filter({ hasText: 'Status' }).first().waitFor();
    await page.getByTestId('incident-remote-session').click();
    const pin = (await page.getByTestId('session-pin').innerText()).replace(/\D/g, '');
    assert.match(pin, /^\d{6}$/);
    await page.getByTestId('incident-sessions').waitFor();
    // When the session ends, its summary comes back as an internal note by RescueBox.
    const sessionId = await page.locator('[data-session-id]').getAttribute('data-session-id');
    const me = await (await page.request.get(`${bed.appliance.url}/api/v1/me`)).json() as { csrfToken: string };
    const ended = await page.request.post(`${bed.appliance.url}/api/v1/sessions/${sessionId}/end`, { headers: { 'X-CSRF-Token': me.csrfToken } });
    assert.ok(ended.ok(), await ended.text());
    await page.reload();
    const summary = page.locator('[data-testid="desk-comment"][data-visibility="internal"]').filter({ hasText: 'Remote support session summary' });
    await summary.waitFor();
    assert.match(await summary.innerText(), /RescueBox/);

    // A technician records an incident for a customer on the phone.
    await page.click('.desk-tabs a[href="/desk/incidents"]');
    await page.locator('summary', { hasText: 'Record a new incident' }).click();
    await page.locator('#new-inc-title').fill('Phone: keyboard dead');
    await page.locator('#new-inc-requester').selectOption({ label: `${CUSTOMER.name} <${CUSTOMER.email}>` });
    await page.locator('#new-inc-group').selectOption({ label: 'Hotline' });
    await page.locator('#new-inc-impact').selectOption('low');
    await page.getByTestId('new-incident-create').click();
    await page.waitForURL(/\/desk\/incidents\/[0-9a-f-]{36}$/);
    await page.locator('h1', { hasText: 'Phone: keyboard dead' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.locator('#edit-title').fill('Phone: keyboard dead after coffee');
    await page.locator('#edit-description').fill('Customer spilled coffee.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('h1', { hasText: 'after coffee' }).waitFor();
    await page.getByTestId('incident-description').filter({ hasText: 'spilled coffee' }).waitFor();
    assert.equal(await page.locator('#inc-group option:checked').innerText(), 'Hotline');

    // The whole desk in German.
    await page.getByTestId('lang-switch').click();
    await page.locator('h2', { hasText: 'Fernwartung' }).waitFor();
    await page.getByRole('button', { name: 'Interne Notiz hinzufügen' }).waitFor();
    assert.deepEqual(tech.problems, []);
  });

  it('an admin changes the priority matrix, SLA targets and categories; a technician has no settings tab', async () => {
    const admin = await logIn(bed, { email: 'admin@example.test', password: 'Owner-secret-2026' }, '/admin/users');
    await admin.page.click('nav a[href="/desk/incidents"]');
    await admin.page.locator('.desk-tabs a[href="/desk/settings"]').click();
    await admin.page.getByLabel('Priority for impact Low and urgency Low').selectOption('3');
    await admin.page.getByLabel('1 – critical: Response (minutes)').fill('30');
    await admin.page.locator('#desk-categories').fill('hardware\nsoftware\nprinters');
    await admin.page.getByTestId('desk-settings-save').click();
    await admin.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const { settings } = await (await admin.page.request.get(`${bed.appliance.url}/api/v1/desk/settings`)).json() as { settings: { priorityMatrix: Record<string, Record<string, number>>; sla: Record<string, { responseMinutes: number }>; incidentCategories: string[] } };
    assert.equal(settings.priorityMatrix.low!.low, 3);
    assert.equal(settings.sla['1']!.responseMinutes, 30);
    assert.deepEqual(settings.incidentCategories, ['hardware', 'software', 'printers']);
    const tech = await logIn(bed, TECH, '/console');
    await tech.page.goto(`${bed.appliance.url}/desk/incidents`);
    await tech.page.locator('.desk-tabs').waitFor();
    assert.equal(await tech.page.locator('.desk-tabs a[href="/desk/settings"]').count(), 0);
    assert.deepEqual([...admin.problems, ...tech.problems], []);
  });

  it('shows SLA time left, then breaches once the server clock passes the due times', async () => {
    const tech = await logIn(bed, TECH, '/console');
    const page = tech.page;
    const customer = await bed.appliance.services.db.selectFrom('users').select('id').where('email', '=', CUSTOMER.email).executeTakeFirstOrThrow();
    const [id] = await createIncidents(page, bed.appliance.url, ['Server room too hot'], customer.id);
    await page.goto(`${bed.appliance.url}/desk/incidents/${id}`);
    await page.getByTestId('sla-response').filter({ hasText: 'left' }).waitFor();
    assert.equal(await page.getByTestId('sla-resolution').getAttribute('data-breached'), 'false');
    bed.skipAhead(5 * 3_600_000);
    await page.reload();
    await page.locator('[data-testid="sla-response"][data-breached="true"]', { hasText: 'Breached' }).waitFor();
    await page.locator('[data-testid="sla-resolution"][data-breached="true"]', { hasText: 'overdue' }).waitFor();
    await page.goto(`${bed.appliance.url}/desk/incidents`);
    await page.locator('#inc-breached').check();
    await page.locator(`[data-testid="incident-row"][data-id="${id}"] [data-breached="true"]`).waitFor();
    await page.getByTestId('queue').filter({ hasText: /No group · \d+ open, \d+ unassigned, [1-9]\d* breached/ }).waitFor();
    assert.deepEqual(tech.problems, []);
  });
});
