import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { DownloadsListing } from '../../core/http/routes/downloads/programs.js';
import { TerminalAgent } from '../../agent/testing/terminal-agent.js';
import { newPin, startBrowserTestbed, type BrowserTestbed } from './browser-testbed.js';

// The PIN page's download way offers the program that fits the customer's computer, judged from
// the browser's user agent (overridden per context, as Windows, Linux and macOS browsers send
// it), with a choice for the others; macOS customers are sent to the browser client.
// Needs the single-file programs in dist/public (npm run build).
const agents = {
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  linux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  linuxArm: 'Mozilla/5.0 (X11; Linux aarch64; rv:133.0) Gecko/20100101 Firefox/133.0',
  macos: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};

describe('the PIN page offers the right support program', { timeout: 900_000 }, () => {
  let bed: BrowserTestbed;
  let tech: Page;
  let listing: DownloadsListing;

  before(async () => {
    bed = await startBrowserTestbed();
    tech = await bed.technician();
    // The first listing binds and signs all three programs (about 100 MiB each): slow on a busy machine.
    const res = await tech.context().request.get(`${bed.appliance.url}/api/v1/downloads`, { timeout: 600_000 });
    listing = (await res.json()) as DownloadsListing;
    assert.deepEqual(listing.programs.map((p) => p.target).sort(), ['linux-arm64', 'linux-x64', 'win-x64'], 'npm run build makes all three programs');
  });
  after(async () => {
    await bed?.close();
  });

  /** A customer with this user agent enters a new PIN and takes the download way. */
  async function downloadWay(userAgent: string): Promise<{ customer: Page; pin: string }> {
    const pin = await newPin(tech);
    const customer = await bed.customer({ userAgent });
    await customer.goto(`${bed.appliance.url}/pin`);
    await customer.locator('#pin-input').fill(pin);
    await customer.getByTestId('pin-submit').click();
    await customer.getByTestId('help-download').click();
    await customer.getByTestId('program-system').waitFor();
    return { customer, pin };
  }

  const program = (target: string) => listing.programs.find((p) => p.target === target)!;

  it('Windows: the .exe, the start code to paste when its window asks, and the PowerShell line', async () => {
    const { customer, pin } = await downloadWay(agents.windows);
    const link = customer.getByTestId('program-download');
    assert.equal(await link.getAttribute('data-target'), 'win-x64');
    assert.equal(await link.getAttribute('href'), '/downloads/support/win-x64');
    assert.equal(await customer.getByTestId('program-system').inputValue(), 'win-x64');
    assert.match(await link.innerText(), /RescueBox-Support.*\.exe/);
    assert.match(await customer.getByTestId('program-sha256').innerText(), new RegExp(program('win-x64').sha256));
    const download = customer.waitForEvent('download');
    await link.click();
    assert.equal((await download).suggestedFilename(), program('win-x64').fileName);
    await (await download).cancel();
    const startCode = await customer.getByTestId('start-code').innerText();
    assert.match(startCode, new RegExp(`^${pin}:[\\w-]+\\.[\\w-]+$`));
    await customer.getByText('Or start it from PowerShell').click();
    assert.match(await customer.getByTestId('agent-command').innerText(), new RegExp(`^& "\\$HOME\\\\Downloads\\\\${program('win-x64').fileName}" --join [\\w.-]+ --pin ${pin}$`));
    assert.equal(await customer.getByTestId('program-smartscreen').count(), program('win-x64').authenticode ? 0 : 1);

    // The start code is what the program takes at its prompt: started with no arguments in a
    // terminal (as a double-click does), the agent asks, gets the pasted code, and joins.
    const agent = new TerminalAgent([process.execPath, '--import', 'tsx', 'agent/main.ts', '--server', bed.appliance.url,
      '--fingerprint', bed.appliance.services.tlsFingerprint!, '--ports', new URL(bed.appliance.url).port, '--lang', 'en']);
    try {
      await agent.waitForText(/or the start code from the support page: $/, 'start code prompt');
      agent.type(`${startCode}\r`);
      await agent.waitForText(/Waiting for your technician/, 'joined');
      await tech.getByTestId('session-row').first().getByTestId('session-join').click();
      const sas = (await agent.waitForText(/Security code: (\d{3} \d{3})/, 'security code'))[1]!;
      await tech.getByTestId('sas').filter({ hasText: sas }).waitFor();
      agent.type('/end\r');
      assert.equal(await agent.exited, 0);
    } finally {
      agent.kill();
    }
    await tech.goto(`${bed.appliance.url}/console`);
  });

  it('Linux x64: the Linux program and one terminal command with the join', async () => {
    const { customer, pin } = await downloadWay(agents.linux);
    const { fileName } = program('linux-x64');
    assert.equal(await customer.getByTestId('program-download').getAttribute('href'), '/downloads/support/linux-x64');
    assert.equal(await customer.getByTestId('program-start').getAttribute('data-platform'), 'linux-x64');
    assert.match(await customer.getByTestId('agent-command').innerText(),
      new RegExp(`^cd ~/Downloads && chmod \\+x ${fileName} && \\./${fileName} --join [\\w.-]+ --pin ${pin}$`));
    assert.equal(await customer.getByTestId('start-code').count(), 0);
  });

  it('Linux arm64: the arm program', async () => {
    const { customer } = await downloadWay(agents.linuxArm);
    assert.equal(await customer.getByTestId('program-download').getAttribute('href'), '/downloads/support/linux-arm64');
    assert.match(await customer.getByTestId('agent-command').innerText(), /-linux-arm64 --join/);
  });

  it('macOS: no program, a plain reason, and the way to the browser client (or another system by choice)', async () => {
    const { customer } = await downloadWay(agents.macos);
    assert.match(await customer.getByTestId('program-macos').innerText(), /no support program for macOS yet.*in this browser/s);
    assert.equal(await customer.getByTestId('program-download').count(), 0);
    assert.equal(await customer.getByTestId('program-system').inputValue(), '');
    await customer.getByTestId('program-system').selectOption('linux-x64');
    assert.equal(await customer.getByTestId('program-download').getAttribute('href'), '/downloads/support/linux-x64');
    await customer.getByTestId('program-system').selectOption('win-x64');
    assert.equal(await customer.getByTestId('program-download').getAttribute('href'), '/downloads/support/win-x64');

    const other = await downloadWay(agents.macos);
    await other.customer.getByTestId('program-macos-browser').click();
    await other.customer.getByTestId('customer-phase').filter({ hasText: 'Waiting for your technician' }).waitFor();
  });

  it('a phone: no preselection, the customer chooses', async () => {
    const { customer } = await downloadWay(agents.android);
    await customer.getByTestId('program-unknown').waitFor();
    assert.equal(await customer.getByTestId('program-download').count(), 0);
    await customer.getByTestId('program-system').selectOption('linux-arm64');
    assert.equal(await customer.getByTestId('program-download').getAttribute('href'), '/downloads/support/linux-arm64');
  });
});
