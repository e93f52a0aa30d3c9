// Takes the README's screenshots of the browser customer (`node --import tsx scripts/browser-screenshots.ts`):
// the two-way choice after a PIN, and a running session (security code, chat, a file, screen shared).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bothConnected, newPin, startBrowserTestbed } from '../ui/e2e/browser-testbed.js';

const bed = await startBrowserTestbed({ args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--auto-select-desktop-capture-source=Entire screen'] });
try {
  const tech = await bed.technician();
  const pin = await newPin(tech);
  const customer = await bed.customer({ viewport: { width: 900, height: 1100 } });
  await customer.goto(`${bed.appliance.url}/pin`);
  await customer.locator('#pin-input').fill(pin);
  await customer.getByTestId('pin-submit').click();
  await customer.getByTestId('help-choice').waitFor();
  await customer.screenshot({ path: 'docs/images/browser-choice.png' });
  await customer.getByTestId('help-in-browser').click();
  await bothConnected(tech, customer);
  await tech.getByTestId('chat-input').fill('Hello! I can see your message. Could you share your screen?');
  await tech.getByTestId('chat-send').click();
  await customer.getByTestId('chat-input').fill('Sure, here it is.');
  await customer.getByTestId('chat-send').click();
  await tech.getByTestId('screen-request-view').click();
  await customer.locator('[data-testid="consent-prompt"][data-capability="screen.view"]').getByTestId('consent-allow').click();
  await customer.getByTestId('customer-sharing').waitFor();
  const file = join(bed.dir, 'printer-driver-setup.txt');
  writeFileSync(file, 'driver');
  await tech.getByTestId('send-file-input').setInputFiles(file);
  await customer.locator('[data-testid="consent-prompt"][data-capability="file.send"]').waitFor();
  await customer.screenshot({ path: 'docs/images/browser-session.png', fullPage: true });
} finally {
  await bed.close();
}
