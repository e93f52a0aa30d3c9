import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CUSTOMER, logIn, startDeskTestbed, TECH, type DeskTestbed } from './desk-testbed.js';

// The knowledge base from both sides in real browsers: a technician writes a public and an
// internal article in a category; the customer's portal search finds only the public one, the
// internal one does not open even by its address, and "was this helpful" counts the vote.

describe('knowledge base: desk editor and portal search', () => {
  let bed: DeskTestbed;
  before(async () => {
    bed = await startDeskTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it('keeps internal articles out of the portal', async () => {
    const tech = await logIn(bed, TECH, '/console');
    const url = bed.appliance.url;
    await tech.page.goto(`${url}/desk/kb`);
    await tech.page.locator('summary', { hasText: 'Categories' }).click();
    await tech.page.locator('#kb-cat-name').fill('Printers');
    await tech.page.getByRole('button', { name: 'Create' }).click();
    await tech.page.locator('details li', { hasText: 'Printers' }).waitFor();

    const write = async (title: string, body: string, visibility: 'public' | 'internal') => {
      await tech.page.goto(`${url}/desk/kb/new`);
      await tech.page.getByTestId('kb-title').fill(title);
      await tech.page.getByTestId('kb-body').fill(body);
      await tech.page.locator('#kb-edit-category').selectOption({ label: 'Printers' });
      await tech.page.getByTestId(`kb-visibility-${visibility}`).check();
      await tech.page.getByTestId('kb-save').click();
      await tech.page.waitForURL(/\/desk\/kb\/[0-9a-f-]{36}$/);
      await tech.page.getByTestId('kb-article-body').waitFor();
      return tech.page.url().split('/').pop()!;
    };
    await write('Reset the printer', '## Steps\n\n1. Hold **Reset** for 5 s\n2. Wait for the green light', 'public');
    const internalId = await write('Printer service menu', 'Service PIN for the printer is 9999.', 'internal');
    // Editing shows the server's new rendering.
    await tech.page.getByTestId('kb-body').fill('Service PIN for the printer is **9999**.');
    await tech.page.getByTestId('kb-save').click();
    await tech.page.getByTestId('kb-article-body').locator('strong', { hasText: '9999' }).waitFor();

    await tech.page.goto(`${url}/desk/kb`);
    await tech.page.getByTestId('kb-search').fill('printer');
    await tech.page.getByTestId('kb-search-go').click();
    await tech.page.getByTestId('kb-result').filter({ hasText: 'Printer service menu' }).filter({ hasText: 'Internal' }).waitFor();
    await tech.page.getByTestId('kb-result').filter({ hasText: 'Reset the printer' }).filter({ hasText: 'Public' }).waitFor();

    const customer = await logIn(bed, CUSTOMER, '/portal');
    await customer.page.click('nav a[href="/portal/kb"]');
    await customer.page.getByTestId('kb-search').fill('printer');
    await customer.page.getByTestId('kb-search-go').click();
    await customer.page.getByTestId('kb-result').filter({ hasText: 'Reset the printer' }).waitFor();
    assert.equal(await customer.page.getByTestId('kb-result').count(), 1, 'only the public article');
    await customer.page.locator('#portal-kb-category').selectOption({ label: 'Printers' });
    await customer.page.getByTestId('kb-result').filter({ hasText: 'Reset the printer' }).waitFor();
    await customer.page.getByRole('link', { name: 'Reset the printer' }).click();
    await customer.page.getByTestId('kb-article-body').locator('li', { hasText: 'green light' }).waitFor();
    await customer.page.getByTestId('kb-helpful-no').click();
    await customer.page.getByTestId('kb-helpful-no').filter({ hasText: '(1)' }).waitFor();
    await customer.page.getByTestId('kb-helpful-yes').click();
    await customer.page.getByTestId('kb-helpful-yes').filter({ hasText: '(1)' }).waitFor();
    assert.match(await customer.page.getByTestId('kb-helpful-no').innerText(), /\(0\)/, 'voting again replaces the vote');

    await customer.page.goto(`${url}/portal/kb/${internalId}`);
    await customer.page.locator('.error').filter({ hasText: 'Not found' }).waitFor();
    assert.ok(!(await customer.page.content()).includes('9999'));
    assert.deepEqual([...tech.problems, ...customer.problems], []);
  });
});
