import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AgentProcess } from './agent-process.js';
import { bothConnected, customerJoins, newPin, startBrowserTestbed, TECH, type BrowserTestbed } from './browser-testbed.js';

// A customer with nothing but a browser: the PIN page's default way runs the protocol module
// in the page. Real appliance, real relay (tapped), real Chromium with two contexts.
const marker = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

describe('customer in the browser', () => {
  let bed: BrowserTestbed;

  before(async () => {
    bed = await startBrowserTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it('PIN → choice → equal security codes → chat both ways → consent refused and allowed → the customer ends; the relay stays blind', async () => {
    const tech = await bed.technician();
    const pin = await newPin(tech);
    const customer = await bed.customer();
    await customer.goto(`${bed.appliance.url}/pin`);
    await customer.locator('#pin-input').fill(pin);
    await customer.getByTestId('pin-submit').click();
    // Two ways; the browser is the default (focused, first).
    await customer.getByTestId('help-choice').waitFor();
    assert.equal(await customer.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'help-in-browser');
    assert.equal(await customer.getByTestId('help-download').count(), 1);
    await customer.keyboard.press('Enter');
    await customer.getByTestId('customer-phase').filter({ hasText: 'Waiting for your technician' }).waitFor();
    assert.match(await customer.getByTestId('customer-session').innerText(), new RegExp(`${TECH.name} is helping you`));

    const sas = await bothConnected(tech, customer);
    assert.match(sas, /^\d{3} \d{3}$/);

    const toCustomer = marker('hello-customer');
    await tech.getByTestId('chat-input').fill(toCustomer);
    await tech.getByTestId('chat-send').click();
    await customer.getByTestId('chat-log').filter({ hasText: toCustomer }).waitFor();
    const toTechnician = marker('hello-technician');
    await customer.getByTestId('chat-input').fill(toTechnician);
    await customer.getByTestId('chat-input').press('Enter');
    await tech.getByTestId('chat-log').filter({ hasText: toTechnician }).waitFor();

    // Diagnostics: refused once, then allowed; the report is what the browser says about itself.
    await tech.getByTestId('request-diagnostics').click();
    const prompt = customer.locator('[data-testid="consent-prompt"][data-capability="diagnostics"]');
    await prompt.getByTestId('consent-refuse').click();
    await customer.locator('[data-testid="consent-outcome"][data-capability="diagnostics"][data-granted="false"]').waitFor();
    await tech.locator('[data-testid="consent-status"][data-state="refused"]').waitFor();
    assert.equal(await prompt.count(), 0, 'an answered prompt is gone');
    await tech.getByTestId('request-diagnostics').click();
    await prompt.getByTestId('consent-allow').click();
    await tech.locator('[data-testid="consent-status"][data-state="granted"]').waitFor();
    await tech.getByTestId('diagnostics-browser-reported').waitFor();
    assert.match(await tech.getByTestId('diagnostics').innerText(), /Chrom/);
    assert.equal(await tech.getByRole('button', { name: 'Save this computer to the CMDB' }).count(), 0, 'a browser report is no computer record');

    await customer.getByTestId('customer-end').click();
    await customer.getByTestId('customer-ended').waitFor();
    await tech.getByTestId('session-ended').waitFor();
    const session = await bed.appliance.services.db.selectFrom('support_sessions').select(['status', 'ended_by', 'customer_info']).executeTakeFirstOrThrow();
    assert.equal(session.status, 'ended');
    assert.equal(session.ended_by, 'customer');
    assert.equal((JSON.parse(session.customer_info) as { client?: string }).client, 'browser');

    const consents = await bed.appliance.services.db.selectFrom('audit_log').select(['action', 'outcome']).where('action', '=', 'permission.consent').execute();
    assert.deepEqual(consents.map((c) => c.outcome), ['deny', 'allow']);

    const wire = Buffer.concat(bed.forwarded);
    assert.ok(wire.length > 1000, 'the session went through the relay');
    for (const secret of [toCustomer, toTechnician, pin, 'Mozilla/5.0', 'browser-1']) {
      assert.equal(wire.includes(Buffer.from(secret)), false, `relay saw ${secret}`);
    }
  });

  it('closing the tab ends the session for the technician', async () => {
    const tech = await bed.technician();
    const pin = await newPin(tech);
    const customer = await bed.customer();
    await customerJoins(customer, bed.appliance.url, pin);
    await bothConnected(tech, customer);
    await customer.close();
    await tech.getByTestId('session-ended').waitFor();
    const rows = await bed.appliance.services.db.selectFrom('support_sessions').select(['status', 'ended_by', 'end_reason']).where('status', '=', 'ended').execute();
    assert.ok(rows.some((r) => r.ended_by === 'customer' && /closed the page/.test(r.end_reason ?? '')), JSON.stringify(rows));
  });

  it('switching to the agent mid-session: the console keeps the chat, the new security code must match again, control is offered again', async () => {
    const tech = await bed.technician();
    const pin = await newPin(tech);
    const customer = await bed.customer();
    await customerJoins(customer, bed.appliance.url, pin);
    const firstSas = await bothConnected(tech, customer);
    const before = marker('before-switch');
    await customer.getByTestId('chat-input').fill(before);
    await customer.getByTestId('chat-input').press('Enter');
    await tech.getByTestId('chat-log').filter({ hasText: before }).waitFor();
    await tech.getByTestId('screen-browser-note').waitFor();

    await customer.getByTestId('customer-switch').click();
    // The first download prepares (binds and signs) every program on this appliance: give it time.
    await customer.getByTestId('agent-command').waitFor({ timeout: 180_000 });
    const command = await customer.getByTestId('agent-command').innerText();
    const joinCode = /--join (\S+)/.exec(command)![1]!;
    assert.match(command, new RegExp(`--pin ${pin}$`));
    const agent = new AgentProcess(['--server', bed.appliance.url, '--join', joinCode, '--pin', pin, '--fingerprint', bed.appliance.services.tlsFingerprint!, '--ports', new URL(bed.appliance.url).port]);
    try {
      const ready = await agent.waitFor((e) => e.event === 'ready', 'agent ready');
      await customer.locator('[data-testid="customer-ended"][data-by="handover"]').waitFor();
      await tech.getByTestId('sas').filter({ hasText: String(ready.sas) }).waitFor();
      assert.notEqual(String(ready.sas), firstSas, 'new keys, a new code to compare');
      assert.match(await tech.getByTestId('connection-state').locator('..').innerText(), /again|new|erneut/i);
      await tech.getByTestId('chat-log').filter({ hasText: before }).waitFor(); // the history stays
      const after = marker('after-switch');
      await tech.getByTestId('chat-input').fill(after);
      await tech.getByTestId('chat-send').click();
      await agent.waitFor((e) => e.event === 'chat' && e.text === after, 'chat reaches the agent');
      await tech.getByTestId('screen-browser-note').waitFor({ state: 'detached' });
      // the page's token is spent: the same code does not work twice
      const again = await customer.context().request.post(`${bed.appliance.url}/api/v1/agent/join`, { data: { joinCode } });
      assert.equal(again.status(), 400);
      agent.say('end');
      await tech.getByTestId('session-ended').waitFor();
    } finally {
      agent.kill();
    }
  });
});
