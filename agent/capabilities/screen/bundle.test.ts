import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentProcess } from '../../testing/agent-process.js';
import { startAgentTestBed, type AgentTestBed } from '../../testing/appliance.js';
import { TestTechnician, until } from '../../testing/technician.js';
import { startXvfb, type Xvfb } from './testing/xvfb.js';

// The customer's download is one bundled file without node_modules: screen sharing must work
// from it too (the X11 client is bundled; without the native JPEG encoder tiles go lossless).
describe('screen sharing from the single-file agent download', () => {
  let bed: AgentTestBed;
  let xvfb: Xvfb;
  let dir: string;
  let bundle: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-bundle-'));
    bundle = join(dir, 'rescuebox-agent.mjs');
    execFileSync(process.execPath, ['scripts/build-agent.mjs', bundle], { stdio: 'ignore' });
    xvfb = await startXvfb(640, 480);
    bed = await startAgentTestBed();
    // The test bed's technician group allows files and diagnostics; add viewing.
    const { id: groupId } = await bed.appliance.services.db.selectFrom('technician_groups').select('id').executeTakeFirstOrThrow();
    await bed.appliance.services.db.insertInto('group_permissions').values({ group_id: groupId, permission: 'remote_view' }).execute();
  });

  after(async () => {
    await bed?.close();
    await xvfb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams the screen after the customer\'s yes', async () => {
    const session = await bed.createSession();
    // From a directory without node_modules, as a customer runs it.
    const agent = new AgentProcess(['--server', bed.url, '--pin', session.pin, '--fingerprint', bed.fingerprint, '--ports', String(bed.relayPort), '--lang', 'en'], { entry: bundle, cwd: dir, env: { DISPLAY: xvfb.display } });
    const tech = new TestTechnician(session.id, session.pin);
    try {
      await agent.waitFor('waiting');
      const joined = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
      await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, joined.ticket, bed.cert);
      await agent.waitFor('ready');
      const grant = ((await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/grants`, { capability: 'screen.view' })).json()) as { grant: string }).grant;
      await tech.endpoint.send({ type: 'consent.request', requestId: 'view-1', capability: 'screen.view', grant });
      await agent.waitFor('prompt', (e) => e.capability === 'screen.view');
      agent.say('yes');
      await until(() => tech.messages('screen.update').length > 0, 'a screen update');
      const [info] = tech.messages('screen.info');
      assert.equal(info!.screens[0]!.width, 640);
      const first = tech.messages('screen.update')[0]!;
      assert.deepEqual(first.size, [640, 480]);
      assert.ok(first.rects.length > 0);
      assert.deepEqual(tech.messages('screen.state').at(-1), { type: 'screen.state', viewing: true, control: 'off', reason: 'granted' });
    } finally {
      tech.close();
      agent.kill();
    }
  });
});
