import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PageMemory } from './browser-memory.js';
import { bothConnected, customerJoins, newPin, startBrowserTestbed, type BrowserTestbed } from './browser-testbed.js';

// Files both ways between the console and a customer's browser page, with the customer's
// consent (refused once, then given), large files streamed: SHA-256 compared on disk after the
// download; what both pages retain (V8 heap + ArrayBuffers, after GC) sampled while 80 MiB go
// each way — a page that buffered the file whole would hold at least its size.
const BIG = 80 * 1024 * 1024;
const WARM_UP = 8 * 1024 * 1024;

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function downloadedSha(page: Page, link: ReturnType<Page['getByTestId']>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return sha256File((await download.path())!);
}

/** A file of random bytes (incompressible: the channel's deflate cannot shrink it). */
/** 48-byte pieces from the middle of every file sent: the relay tap must contain none of them. */
const samples: Buffer[] = [];

function randomFile(path: string, size: number): string {
  const data = Buffer.allocUnsafe(size);
  for (let offset = 0; offset < size; offset += 1 << 20) randomBytes(Math.min(1 << 20, size - offset)).copy(data, offset);
  writeFileSync(path, data);
  samples.push(Buffer.from(data.subarray(size >> 1, (size >> 1) + 48)));
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Neither page (console, customer) held half the file at any sample. Measured 5–40 MiB for
 * 80 MiB (peaks vary from run to run): the 4 MiB fold, the sender's 8 MiB window of sealed
 * frames, and messages decrypted (and acknowledged) but not yet handled; a page that buffers
 * the file whole holds all 80 MiB.
 */
function assertHeld([console, page]: number[], what: string): void {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  process.stdout.write(`# ${what}: retained growth console ${mib(console!)} MiB, customer page ${mib(page!)} MiB, file ${mib(BIG)} MiB\n`);
  assert.ok(console! < BIG / 2, `the console held ${mib(console!)} MiB of a ${mib(BIG)} MiB file`);
  assert.ok(page! < BIG / 2, `the customer's page held ${mib(page!)} MiB of a ${mib(BIG)} MiB file`);
}

describe('files between the console and a browser customer', () => {
  let bed: BrowserTestbed;
  let tech: Page;
  let customer: Page;

  before(async () => {
    bed = await startBrowserTestbed();
    tech = await bed.technician();
    const pin = await newPin(tech);
    customer = await bed.customer();
    await customerJoins(customer, bed.appliance.url, pin);
    await bothConnected(tech, customer);
  });
  after(async () => {
    await bed?.close();
  });

  const prompt = (capability: string) => customer.locator(`[data-testid="consent-prompt"][data-capability="${capability}"]`);

  it('to the customer: refused once, then accepted; 80 MiB arrive intact while neither renderer holds the file', async () => {
    const small = join(bed.dir, 'small.txt');
    writeFileSync(small, 'refuse me');
    await tech.getByTestId('send-file-input').setInputFiles(small);
    await prompt('file.send').getByTestId('consent-refuse').click();
    await tech.locator('[data-testid="consent-status"][data-state="refused"]').waitFor();
    assert.equal(await customer.getByTestId('customer-download').count(), 0);

    // a first, smaller file
    const warm = join(bed.dir, 'warm-up.bin');
    const warmSha = randomFile(warm, WARM_UP);
    await tech.getByTestId('send-file-input').setInputFiles(warm);
    await prompt('file.send').filter({ hasText: 'warm-up.bin' }).getByTestId('consent-allow').click();
    assert.equal(await downloadedSha(customer, customer.getByTestId('customer-download').filter({ hasText: 'warm-up.bin' })), warmSha);

    const big = join(bed.dir, 'big-to-customer.bin');
    const sha = randomFile(big, BIG);
    await tech.getByTestId('send-file-input').setInputFiles(big);
    await prompt('file.send').filter({ hasText: 'big-to-customer.bin' }).getByTestId('consent-allow').click({ timeout: 60_000 });
    const memory = await Promise.all([PageMemory.start(tech), PageMemory.start(customer)]);
    const link = customer.getByTestId('customer-download').filter({ hasText: 'big-to-customer.bin' });
    await link.waitFor({ timeout: 120_000 });
    const growth = await Promise.all(memory.map((m) => m.stop()));
    assert.equal(await downloadedSha(customer, link), sha);
    assertHeld(growth, 'to customer');
  });

  it('from the customer on request: refused once, then a picked 80 MiB file arrives intact; and one of the customer\'s own choice', async () => {
    await tech.getByTestId('request-file').click();
    await prompt('file.receive').getByTestId('consent-refuse').click();
    await tech.locator('[data-testid="consent-status"][data-state="refused"]').waitFor();

    const big = join(bed.dir, 'big-from-customer.bin');
    const sha = randomFile(big, BIG);
    await tech.getByTestId('request-file').click();
    await prompt('file.receive').getByTestId('consent-file').setInputFiles(big);
    const memory = await Promise.all([PageMemory.start(tech), PageMemory.start(customer)]);
    await prompt('file.receive').getByTestId('consent-allow').click();
    const link = tech.getByTestId('received-file').filter({ hasText: 'big-from-customer.bin' });
    await link.waitFor({ timeout: 120_000 });
    const growth = await Promise.all(memory.map((m) => m.stop()));
    assert.equal(await downloadedSha(tech, link), sha);
    assertHeld(growth, 'from customer');

    const own = join(bed.dir, 'photo.jpg');
    const ownSha = randomFile(own, 300_000);
    await customer.getByTestId('customer-send-file').setInputFiles(own);
    const ownLink = tech.getByTestId('received-file').filter({ hasText: 'photo.jpg' });
    await ownLink.waitFor();
    assert.equal(await downloadedSha(tech, ownLink), ownSha);
    await customer.locator('[data-testid="customer-transfer"][data-direction="from-customer"][data-state="done"]').nth(1).waitFor();
  });

  it('the audit has every transfer and decision; the relay saw none of the bytes', async () => {
    const files = await bed.appliance.services.db.selectFrom('audit_log').select(['details', 'outcome']).where('action', '=', 'file.transfer').execute();
    const delivered = files.filter((f) => f.outcome === 'success').map((f) => (JSON.parse(f.details) as { name: string; direction: string }));
    assert.deepEqual(delivered.map((d) => `${d.direction}:${d.name}`).sort(), ['from_customer:big-from-customer.bin', 'from_customer:photo.jpg', 'to_customer:big-to-customer.bin', 'to_customer:warm-up.bin']);
    const consents = await bed.appliance.services.db.selectFrom('audit_log').select(['details', 'outcome']).where('action', '=', 'permission.consent').execute();
    assert.deepEqual(consents.map((c) => `${(JSON.parse(c.details) as { capability: string }).capability}:${c.outcome}`),
      ['file.send:deny', 'file.send:allow', 'file.send:allow', 'file.receive:deny', 'file.receive:allow']);
    const wire = Buffer.concat(bed.forwarded);
    assert.ok(wire.length > 2 * BIG, 'both big files went through the relay');
    for (const sample of [Buffer.from('refuse me'), ...samples]) assert.equal(wire.includes(sample), false, 'the relay saw file bytes');
    assert.equal(samples.length, 4);
  });
});
