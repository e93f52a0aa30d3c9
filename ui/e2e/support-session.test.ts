import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { insertGroup } from '../../core/accounts/groups.js';
import { insertUser } from '../../core/accounts/users.js';
import { hashPassword } from '../../core/auth/password-hash.js';
import { startAppliance, type RunningAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';
import { AgentProcess } from './agent-process.js';

// The whole support flow with real parts: the appliance (broker + relay) over TLS, the
// technician's console in Chromium, the real agent as a child process answering on stdin.
// Every byte the relay forwards is recorded to prove it never sees plaintext or the PIN.
const TECH = { email: 'tina@example.test', password: 'Field-secret-2026' };
const marker = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

/** A port with nothing listening (the agent must try it and fall back to a live one). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('support session end to end', () => {
  let appliance: RunningAppliance;
  let browser: Browser;
  let dir: string;
  const forwarded: Buffer[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-support-'));
    const port = String(await deadPort());
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', RELAY_PORT: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', AGENT_PORTS: port });
    appliance = await startAppliance(config, { logger: createLogger('silent'), relayTap: (_sid, _from, bytes) => void forwarded.push(Buffer.from(bytes)) });
    const { db, clock } = appliance.services;
    const group = await insertGroup(db, clock, { name: 'Support', permissions: ['file_transfer', 'diagnostics', 'service_desk'] });
    await insertUser(db, clock, { email: TECH.email, role: 'technician', passwordHash: await hashPassword(TECH.password), groups: [group.id], displayName: 'Tina' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await appliance?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function technicianPage(): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('E-mail').fill(TECH.email);
    await page.getByLabel('Password').fill(TECH.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/console');
    return page;
  }

  it('technician and customer chat, exchange files, read diagnostics; the customer ends; the relay stays blind', async () => {
    const page = await technicianPage();
    await page.getByTestId('new-session').click();
    const pin = (await page.getByTestId('session-pin').innerText()).replace(/\D/g, '');
    assert.match(pin, /^\d{6}$/);

    const downloads = join(dir, 'downloads');
    const agent = new AgentProcess([
      '--server', appliance.url, '--pin', pin, '--fingerprint', appliance.services.tlsFingerprint!,
      '--ports', `${(await deadPort())},${new URL(appliance.url).port}`, '--download-dir', downloads,
    ]);
    try {
      await page.getByTestId('session-row').first().getByTestId('session-join').click();
      const ready = await agent.waitFor((e) => e.event === 'ready', 'ready');
      await page.getByTestId('sas').filter({ hasText: String(ready.sas) }).waitFor();

      // chat both ways
      const toCustomer = marker('hello-customer');
      await page.getByTestId('chat-input').fill(toCustomer);
      await page.getByTestId('chat-send').click();
      await agent.waitFor((e) => e.event === 'chat' && e.text === toCustomer, 'chat to customer');
      const toTechnician = marker('hello-technician');
      agent.say(`chat ${toTechnician}`);
      await page.getByTestId('chat-log').filter({ hasText: toTechnician }).waitFor();

      // diagnostics, after the customer consents
      await page.getByTestId('request-diagnostics').click();
      await agent.waitFor((e) => e.event === 'prompt' && e.capability === 'diagnostics', 'diagnostics prompt');
      agent.say('yes');
      await page.getByTestId('diagnostics').filter({ hasText: /memory|Memory/ }).waitFor();
      // ...and the customer's computer goes into the CMDB from those diagnostics
      await page.getByRole('button', { name: 'Save this computer to the CMDB' }).click();
      await page.getByTestId('diagnostics-cmdb').getByRole('status').filter({ hasText: 'Configuration item created' }).waitFor();
      const cis = await appliance.services.db.selectFrom('desk_cis').select(['type_id', 'name']).execute();
      assert.deepEqual(cis.map((ci) => ci.type_id), ['computer']);

      // a file to the customer, after consent
      const outgoing = join(dir, 'for-customer.txt');
      const outgoingText = `${marker('file-to-customer')}\n${'x'.repeat(200_000)}`;
      writeFileSync(outgoing, outgoingText);
      await page.getByTestId('send-file-input').setInputFiles(outgoing);
      await agent.waitFor((e) => e.event === 'prompt' && e.capability === 'file.send', 'file prompt');
      agent.say('yes');
      const received = await agent.waitFor((e) => e.event === 'file-received', 'file received');
      assert.equal(readFileSync(String(received.path), 'utf8'), outgoingText);

      // a file from the customer
      const incoming = join(dir, 'from-customer.log');
      const incomingText = `${marker('file-to-technician')}\n${randomBytes(100_000).toString('base64')}`;
      writeFileSync(incoming, incomingText);
      agent.say(`send ${incoming}`);
      const link = page.getByTestId('received-file').filter({ hasText: 'from-customer.log' });
      await link.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(readFileSync((await download.path())!, 'utf8'), incomingText);

      // the customer ends; the technician sees it at once
      agent.say('end');
      await page.getByTestId('session-ended').waitFor();
      assert.equal(await agent.exited, 0);
      const session = await appliance.services.db.selectFrom('support_sessions').select(['status', 'ended_by']).executeTakeFirstOrThrow();
      assert.deepEqual(session, { status: 'ended', ended_by: 'customer' });

      // relay blindness: nothing of the conversation, the files or the PIN in what it forwarded
      const wire = Buffer.concat(forwarded);
      assert.ok(wire.length > 90_000, 'the files went through the relay (compressed, then encrypted)');
      for (const secret of [toCustomer, toTechnician, outgoingText.slice(0, 30), incomingText.slice(0, 30), pin, 'xxxxxxxxxxxxxxxxxxxx']) {
        assert.equal(wire.includes(Buffer.from(secret)), false, `relay saw ${secret.slice(0, 20)}`);
      }

      // the audit trail of the session
      const actions = new Set((await appliance.services.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action));
      for (const action of ['session.create', 'pin.redeem', 'agent.connect', 'permission.request', 'permission.consent', 'file.transfer', 'session.end']) {
        assert.ok(actions.has(action), `audit has ${action}`);
      }
    } finally {
      agent.kill();
    }
  });
});
