import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { logIn, startDeskTestbed, TECH, type DeskTestbed } from './desk-testbed.js';

// The rest of the technician's desk in a real browser against the real server: a problem
// (known error) with a linked incident, a change through its approval step to implemented, a
// release grouping it, and the CMDB (a CI type, two CIs, a relation, the history).

describe('problems, changes, releases and the CMDB', () => {
  let bed: DeskTestbed;
  before(async () => {
    bed = await startDeskTestbed();
  });
  after(async () => {
    await bed?.close();
  });

  it('walks a problem, a change with approval, a release and CIs', async () => {
    const { page, problems } = await logIn(bed, TECH, '/console');
    const url = bed.appliance.url;

    // CMDB: a type with an attribute, two CIs, "app runs on server".
    await page.goto(`${url}/desk/cmdb`);
    await page.locator('summary', { hasText: 'CI types' }).click();
    await page.locator('#ci-type-name').fill('Server');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.locator('#ci-attr-key-0').fill('rack');
    await page.locator('#ci-attr-label-0').fill('Rack');
    await page.locator('form').filter({ has: page.locator('#ci-type-name') }).getByRole('button', { name: 'Create' }).click();
    await page.locator('li', { hasText: 'Server' }).filter({ hasText: 'Rack' }).waitFor();
    for (const [name, type] of [['db-01', 'Server'], ['payroll', 'Server']] as const) {
      await page.goto(`${url}/desk/cmdb`);
      await page.locator('summary', { hasText: 'New configuration item' }).click();
      await page.locator('#new-ci-name').fill(name);
      await page.locator('#new-ci-type').selectOption({ label: type });
      await page.locator('#new-ci-attr-rack').fill(`R-${name}`);
      await page.locator('form').filter({ has: page.locator('#new-ci-name') }).getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/\/desk\/cmdb\/[0-9a-f-]{36}$/);
    }
    await page.locator('#rel-direction').selectOption({ label: 'Runs on' });
    await page.locator('#rel-other').selectOption({ label: 'db-01 (Server)' });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByTestId('ci-relation').filter({ hasText: 'Runs on db-01' }).waitFor();
    await page.locator('#ci-attr-rack').fill('R-7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('history').locator('summary').click();
    await page.getByTestId('history').locator('li', { hasText: 'R-7' }).waitFor();

    // A problem marked as known error.
    await page.goto(`${url}/desk/problems`);
    await page.locator('summary', { hasText: 'New problem' }).click();
    await page.locator('#new-prb-title').fill('Payroll slow at month end');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/desk\/problems\/[0-9a-f-]{36}$/);
    await page.locator('#prb-root').fill('Index missing on db-01');
    await page.locator('#prb-known-error').check();
    await page.getByRole('button', { name: 'Save' }).click();
    const problemUrl = page.url();
    await page.goto(`${url}/desk/problems`);
    await page.locator('#prb-known').check();
    await page.getByTestId('problem-row').filter({ hasText: 'Known error' }).waitFor();

    // An incident attached to the problem from the incident's page; the problem lists it.
    await page.goto(`${url}/desk/incidents`);
    await page.locator('summary', { hasText: 'Record a new incident' }).click();
    await page.locator('#new-inc-title').fill('Payroll run takes hours');
    await page.locator('#new-inc-requester').selectOption({ index: 1 });
    await page.getByTestId('new-incident-create').click();
    await page.waitForURL(/\/desk\/incidents\/[0-9a-f-]{36}$/);
    const problemSelect = page.locator('#inc-problem');
    const option = problemSelect.locator('option', { hasText: 'Payroll slow' });
    await option.waitFor({ state: 'attached' });
    await problemSelect.selectOption((await option.getAttribute('value'))!);
    await page.locator('#inc-problem + a, #inc-problem ~ a').first().waitFor();
    await page.goto(problemUrl);
    await page.locator('#prb-incidents ~ ul a', { hasText: 'Payroll run takes hours' }).waitFor();

    // A normal change: approver Tom, submit, approve, implement.
    await page.goto(`${url}/desk/changes`);
    await page.locator('summary', { hasText: 'New change' }).click();
    await page.locator('#chg-title').fill('Add the missing index');
    await page.locator('fieldset', { hasText: 'Approvers' }).getByLabel(TECH.name).check();
    await page.locator('fieldset', { hasText: 'Affected configuration items' }).getByLabel('db-01 (Server)').check();
    await page.getByTestId('change-save').click();
    await page.waitForURL(/\/desk\/changes\/[0-9a-f-]{36}$/);
    const changeUrl = page.url();
    assert.equal(await page.getByTestId('change-move-implementing').count(), 0, 'a normal change cannot skip approval');
    await page.getByTestId('change-move-pending_approval').click();
    await page.getByTestId('change-approve').click();
    await page.getByTestId('approvals').locator('.badge.on', { hasText: 'Approved' }).waitFor();
    await page.getByTestId('change-move-implementing').click();
    await page.getByTestId('change-move-implemented').click();
    await page.getByTestId('change-move-closed').waitFor();

    // A release grouping the change.
    await page.goto(`${url}/desk/releases`);
    await page.locator('summary', { hasText: 'New release' }).click();
    await page.locator('#rel-name').fill('Payroll fixes');
    await page.locator('#rel-version').fill('2026.11');
    await page.getByLabel(/Add the missing index/).check();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/desk\/releases\/[0-9a-f-]{36}$/);
    await page.locator('#rel-changes + ul a', { hasText: 'Add the missing index' }).waitFor();
    await page.getByRole('button', { name: 'In progress' }).click();
    await page.locator('.badge.state-in_progress').waitFor();

    // Link the release to the problem from the release page, then see it on the change's page.
    await page.getByTestId('link-add').click();
    await page.locator('select[id^="link-type-"]').selectOption('problem');
    const target = page.locator('select[id^="link-target-"]');
    const problemOption = target.locator('option', { hasText: 'Payroll slow' });
    await problemOption.waitFor({ state: 'attached' });
    await target.selectOption((await problemOption.getAttribute('value'))!);
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByTestId('desk-link').filter({ hasText: 'Payroll slow' }).waitFor();
    await page.goto(changeUrl);
    await page.getByTestId('approvals').waitFor();
    assert.deepEqual(problems, []);
  });
});
