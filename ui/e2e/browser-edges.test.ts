import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bothConnected, customerJoins, newPin, startBrowserTestbed, type BrowserTestbed } from './browser-testbed.js';

// The browser customer's edges: PINs that do not work, a reload in the middle of a session,
// a phone-sized screen, German.
describe('browser customer: bad PINs, reload, phone, German', () => {
  let bed: BrowserTestbed;
  before(async () => {
    bed = await startBrowserTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  async function tryPin(pin: string): Promise<string> {
    const customer = await bed.customer();
    await customer.goto(`${bed.appliance.url}/pin`);
    await customer.locator('#pin-input').fill(pin);
    await customer.getByTestId('pin-submit').click();
    const text = await customer.getByTestId('pin-error').innerText();
    assert.equal(await customer.getByTestId('help-choice').count(), 0);
    await customer.context().close();
    return text;
  }

  it('a wrong, a used and an expired PIN get the same neutral answer and no choice', async () => {
    const tech = await bed.technician();
    const wrong = await tryPin('000000');
    const used = await newPin(tech);
    const first = await bed.customer();
    await customerJoins(first, bed.appliance.url, used);
    await first.getByTestId('customer-phase').waitFor();
    assert.equal(await tryPin(used), wrong);
    const expired = await newPin(tech);
    await bed.appliance.services.db.updateTable('support_sessions').set({ pin_expires_at: Date.now() - 1000 }).where('status', '=', 'waiting').execute();
    assert.equal(await tryPin(expired), wrong);
    assert.match(wrong, /not valid/);
  });

  it('a reload in the middle ends the session cleanly for both; the PIN does not work again', async () => {
    const tech = await bed.technician();
    const pin = await newPin(tech);
    const customer = await bed.customer();
    await customerJoins(customer, bed.appliance.url, pin);
    await bothConnected(tech, customer);
    await customer.reload();
    await tech.getByTestId('session-ended').waitFor();
    await customer.locator('#pin-input').waitFor(); // back at the start, nothing half-open
    await customer.locator('#pin-input').fill(pin);
    await customer.getByTestId('pin-submit').click();
    await customer.getByTestId('pin-error').waitFor();
  });

  it('at phone width, in German, by keyboard: choice, code, chat; nothing wider than the screen', async () => {
    const tech = await bed.technician();
    const pin = await newPin(tech);
    const phone = await bed.customer({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'de-DE' });
    await phone.goto(`${bed.appliance.url}/pin`);
    await phone.getByLabel('PIN').fill(pin);
    await phone.keyboard.press('Enter');
    await phone.getByRole('button', { name: 'Hilfe in diesem Browser' }).waitFor();
    await phone.keyboard.press('Enter'); // the default way has the focus
    await phone.getByTestId('customer-phase').filter({ hasText: 'Warten' }).waitFor();
    await bothConnected(tech, phone);
    await phone.getByLabel('Nachricht an Ihren Techniker').fill('Hallo vom Telefon');
    await phone.keyboard.press('Enter');
    await tech.getByTestId('chat-log').filter({ hasText: 'Hallo vom Telefon' }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    // every control has a name a screen reader can say
    const unnamed = await phone.locator('button, input, a').evaluateAll((els) => els.filter((el) => {
      const input = el as HTMLInputElement;
      return !(el.getAttribute('aria-label') || el.textContent?.trim() || (input.labels && input.labels.length > 0));
    }).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, []);
    await phone.getByRole('button', { name: 'Sitzung beenden' }).click();
    await tech.getByTestId('session-ended').waitFor();
  });
});
