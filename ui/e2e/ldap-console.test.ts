import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { loadConfig } from '../../config/load.js';
import { startAppliance } from '../../core/server/start.js';
import { createLogger } from '../../core/support/logger.js';
import { openLdapSettings, passwordOf, SERVICE_PASSWORD, startDirectory } from '../../plugins/ldap/testing/fixture.js';

// Real OpenLDAP, real server, real browser: an admin tests the directory connection and syncs
// users from the plugin's settings card (the service password shown only masked), then a
// directory user logs in with a bare user name.
test('LDAP from the admin console: test connection, sync now, log in by user name', async () => {
  const { slapd } = await startDirectory();
  const dataDir = mkdtempSync(join(tmpdir(), 'rb-ldap-ui-'));
  const config = loadConfig({
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', TLS: 'off', ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD: 'Owner-secret-2026', LOG_LEVEL: 'silent', RELAY_PORT: '0',
    PLUGINS: 'ldap', PLUGIN_SETTINGS: JSON.stringify({ ldap: openLdapSettings(slapd) }),
  });
  const appliance = await startAppliance(config, { logger: createLogger('silent') });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${appliance.url}/login`);
    await page.getByLabel('E-mail').fill('boss@example.test');
    await page.getByLabel('Password').fill('Owner-secret-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/admin/users');
    await page.goto(`${appliance.url}/admin/plugins`);
    await page.getByRole('button', { name: 'Settings: LDAP / Active Directory' }).click();
    const settings = await page.locator('#plugin-settings-ldap').inputValue();
    assert.ok(!settings.includes(SERVICE_PASSWORD), 'the service password never reaches the browser');
    assert.match(settings, /"servicePassword": "\*{8}"/);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const tested = page.getByTestId('plugin-action-result');
    await tested.waitFor();
    assert.equal(await tested.getAttribute('data-ok'), 'true', await tested.innerText());

    await page.getByRole('button', { name: 'Sync users now' }).click();
    await page.getByTestId('plugin-action-result').filter({ hasText: 'created' }).waitFor();
    assert.match(await page.getByTestId('plugin-action-result').innerText(), /created: [1-9]/);
    // Saving the settings with the mask keeps the real password: the connection still works.
    await page.getByTestId('plugin-settings-save').click();
    await page.getByRole('status').filter({ hasText: /saved/i }).first().waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('plugin-action-result').filter({ hasText: 'Done' }).waitFor();

    const directoryUser = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await directoryUser.goto(`${appliance.url}/login`);
    await directoryUser.getByLabel('E-mail').fill('bob');
    await directoryUser.getByLabel('Password').fill(passwordOf('bob'));
    await directoryUser.getByTestId('login-submit').click();
    await directoryUser.waitForURL('**/console');
  } finally {
    await browser.close();
    await appliance.close();
    await slapd.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
