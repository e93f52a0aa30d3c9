import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startXvfb, type Xvfb } from './testing/xvfb.js';
import { WAYLAND_DETAIL } from './platform.js';
import { AgentProcess } from '../../testing/agent-process.js';
import { startAgentTestBed, type AgentTestBed } from '../../testing/appliance.js';
import { TestTechnician, until } from '../../testing/technician.js';
import { TerminalAgent } from '../../testing/terminal-agent.js';

// A Linux customer on a Wayland desktop: the real agent (a real process) says at once that screen
// sharing goes through the browser client, refuses view and control requests without asking,
// tells the technician why, never sends a frame, and keeps chatting. A real X server is reachable
// through DISPLAY, as XWayland would be: the agent must not capture it (XWayland's root is black
// outside X11 programs).
describe('the agent on a Wayland desktop', { timeout: 120_000 }, () => {
  let bed: AgentTestBed;
  let xvfb: Xvfb;
  const waylandEnv = () => ({ DISPLAY: xvfb.display, WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' });

  before(async () => {
    xvfb = await startXvfb(640, 480);
    bed = await startAgentTestBed();
    const { id: groupId } = await bed.appliance.services.db.selectFrom('technician_groups').select('id').executeTakeFirstOrThrow();
    await bed.appliance.services.db.insertInto('group_permissions').values([{ group_id: groupId, permission: 'remote_view' }, { group_id: groupId, permission: 'remote_control' }]).execute();
  });
  after(async () => {
    await bed?.close();
    await xvfb?.stop();
  });

  it('says so at the start, refuses view and control without asking, no frames, no crash', async () => {
    const session = await bed.createSession();
    const agent = new AgentProcess(['--server', bed.url, '--pin', session.pin, '--fingerprint', bed.fingerprint, '--ports', String(bed.relayPort), '--lang', 'en'], { env: waylandEnv() });
    const tech = new TestTechnician(session.id, session.pin);
    const grant = async (capability: string) => ((await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/grants`, { capability })).json()) as { grant: string }).grant;
    try {
      const notice = await agent.waitFor('notice', () => true, 60_000); // tsx compiles the agent first: slow on a busy machine
      assert.deepEqual(notice, { event: 'notice', key: 'screenWayland', server: new URL(bed.url).origin });
      await agent.waitFor('waiting');
      const joined = (await (await bed.technician.request('POST', `/api/v1/sessions/${session.id}/join`)).json()) as { ticket: string };
      await tech.connect(`wss://127.0.0.1:${bed.relayPort}/relay`, joined.ticket, bed.cert);
      await agent.waitFor('ready');
      await until(() => tech.messages('client.info').length === 1, 'client.info');
      assert.equal(tech.messages('client.info')[0]!.remoteInput, false);

      for (const capability of ['screen.view', 'screen.control'] as const) {
        await tech.endpoint.send({ type: 'consent.request', requestId: capability, capability, grant: await grant(capability) });
        await until(() => tech.messages('consent.response').some((m) => m.requestId === capability), `${capability} answered`);
        assert.equal(tech.messages('consent.response').find((m) => m.requestId === capability)!.granted, false);
        assert.deepEqual(await agent.waitFor('refused', (e) => e.id === capability), { event: 'refused', id: capability, capability, reason: 'unavailable', why: 'wayland' });
      }
      const state = tech.messages('screen.state')[0]!;
      assert.deepEqual([state.viewing, state.reason, state.detail], [false, 'unavailable', WAYLAND_DETAIL]);
      assert.equal(agent.count('prompt'), 0, 'the customer was not asked for something that cannot work');
      assert.equal(tech.messages('screen.info').length + tech.messages('screen.update').length, 0, 'no frames, black or otherwise');

      agent.say('chat still here');
      await until(() => tech.messages('chat').some((m) => m.text === 'still here'), 'chat after the refusals');
      agent.say('end');
      assert.equal(await agent.exited, 0, agent.stderr);
      assert.equal(agent.stderr, '');
    } finally {
      tech.close();
      agent.kill();
    }
  });

  it('the customer reads it in the terminal, in plain words', async () => {
    const session = await bed.createSession();
    const agent = new TerminalAgent([process.execPath, '--import', 'tsx', 'agent/main.ts', '--server', bed.url, '--pin', session.pin,
      '--fingerprint', bed.fingerprint, '--ports', String(bed.relayPort), '--lang', 'en'], { env: { ...process.env, ...waylandEnv() } });
    try {
      await agent.waitForText(/Wayland desktop, where this program cannot show your screen yet\. Chat, files and diagnostics work here\. To show your screen, use your web browser instead: ask your technician for a new PIN, open https:\/\/127\.0\.0\.1:\d+ and choose "Get help in this browser"\./, 'Wayland notice');
      agent.type('/end\r');
      assert.equal(await agent.exited, 0);
    } finally {
      agent.kill();
    }
  });
});
