import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Message } from '../../../protocol/messages.js';
import type { AgentEvent } from '../../net/broker.js';
import type { UiEvent } from '../../ui/types.js';
import type { ScreenShare } from '../screen/index.js';
import { startXev, startXvfb, waitFor, x, type Xev, type Xvfb } from '../screen/testing/xvfb.js';
import type { CapabilityContext } from '../types.js';
import { inputCapability } from './index.js';

// Remote input on a real X server (Xvfb), read back by `xev`: what the technician sends arrives,
// a keysym the keymap lacks (ä) is typed through a remapped spare keycode, while the customer
// uses their own mouse remote input does not reach the display at all, and clipboard text goes
// both ways.
describe('remote input under Xvfb', () => {
  let xvfb: Xvfb;
  let xev: Xev;

  before(async () => {
    xvfb = await startXvfb(800, 600);
    xev = await startXev(xvfb.env, '400x300+0+0');
  });

  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  after(async () => {
    xev?.stop();
    await xvfb?.stop();
  });

  function setup() {
    const sent: Message[] = [];
    const ui: UiEvent[] = [];
    const audit: AgentEvent[] = [];
    const ctx = {
      send: async (message: Message) => void sent.push(message), drain: async () => undefined,
      ui: { notify: (event: UiEvent) => void ui.push(event) }, events: { report: (event: AgentEvent) => void audit.push(event) },
    } as unknown as CapabilityContext;
    const share: ScreenShare = {
      current: () => ({ id: 'root', name: 'Screen', x: 0, y: 0, width: 800, height: 600, primary: true }),
      control: 'off', report: async (reason) => void sent.push({ type: 'screen.state', viewing: true, control: share.control, ...(reason && { reason }) }),
    };
    return { capability: inputCapability(ctx, share, xvfb.env), sent, ui, audit, share };
  }

  it('ends promptly at the session\'s end even though nothing can be sent any more', async () => {
    const { capability, share } = setup();
    await capability.consents!['screen.control']!.granted({} as never, { granted: true });
    assert.equal(share.control, 'active');
    share.report = () => new Promise<void>(() => undefined); // the closed channel never delivers
    const done = await Promise.race([capability.dispose!().then(() => 'done'), new Promise((r) => setTimeout(() => r('hung'), 2_000))]);
    assert.equal(done, 'done');
    assert.equal(share.control, 'off');
  });

  it('injects pointer, buttons and keys (with Shift and an umlaut), and pauses for the customer', async () => {
    const { capability, ui, audit, share, sent } = setup();
    // A failed assertion must not leave the local-input guard polling and the X connections
    // open: the test file's process would never end and hang the whole suite.
    cleanups.push(() => capability.dispose!());
    await capability.consents!['screen.control']!.granted({} as never, { granted: true });
    assert.equal(share.control, 'active');
    const out = xev.output;
    const handle = async (message: Message) => (capability.handlers as Record<string, (m: Message, p: Uint8Array) => unknown>)[message.type]!(message, new Uint8Array());

    await handle({ type: 'input.pointer', x: 120, y: 80 });
    await handle({ type: 'input.button', button: 1, down: true });
    await handle({ type: 'input.button', button: 1, down: false });
    assert.ok(await waitFor(() => /ButtonRelease event[^]*?root:\(120,80\)/.test(out()), 3_000), 'the click arrived at 120,80');
    for (const keysym of [0x21, 0xe4, 0x61]) {
      await handle({ type: 'input.key', keysym, down: true });
      await handle({ type: 'input.key', keysym, down: false });
    }
    assert.ok(await waitFor(() => /keysym 0x61, a/.test(out()), 3_000), out().slice(-500));
    assert.match(out(), /keysym 0xffe1, Shift_L[^]*?keysym 0x21, exclam[^]*?keysym 0xe4, adiaeresis/, (out().match(/(Key\w+ event|keycode \d+ \(keysym [^)]*|Mapping\w+ event)/g) ?? []).join(" | "));

    // The customer moves the mouse: paused, and the technician's click does not arrive.
    const clicks = (out().match(/ButtonPress/g) ?? []).length;
    await x(xvfb.display, 'xdotool', ['mousemove', '300', '250']);
    await x(xvfb.display, 'xdotool', ['mousemove', '305', '255']);
    assert.ok(await waitFor(() => share.control === 'paused', 2_000), 'paused');
    await handle({ type: 'input.button', button: 1, down: true });
    await handle({ type: 'input.button', button: 1, down: false });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((out().match(/ButtonPress/g) ?? []).length, clicks, 'no remote click while the customer has control');
    assert.ok(ui.some((e) => e.event === 'screen' && e.state === 'control-paused'));

    // After a quiet moment remote input works again.
    assert.ok(await waitFor(() => share.control === 'active', 4_000), 'resumed');
    await handle({ type: 'input.pointer', x: 50, y: 60 });
    await handle({ type: 'input.button', button: 3, down: true });
    await handle({ type: 'input.button', button: 3, down: false });
    assert.ok(await waitFor(() => /ButtonPress event[^]*?root:\(50,60\),\s+state 0x0, button 3/.test(out()), 3_000), 'click after resume');

    // Clipboard text both ways: the technician's text can be pasted; the customer's copy is sent.
    await handle({ type: 'clipboard.text', text: 'Grüße vom Techniker' });
    assert.ok(await waitFor(async () => (await x(xvfb.display, 'xclip', ['-o', '-selection', 'clipboard']).catch(() => '')) === 'Grüße vom Techniker', 3_000), 'pasted on the customer\'s side');
    await new Promise<void>((resolve) => {
      const copy = spawn('xclip', ['-i', '-selection', 'clipboard'], { env: xvfb.env, stdio: ['pipe', 'ignore', 'ignore'] });
      copy.stdin!.end('Kundentext: Äpfel');
      copy.once('exit', () => resolve());
    });
    assert.ok(await waitFor(() => sent.some((m) => m.type === 'clipboard.text' && m.text === 'Kundentext: Äpfel'), 3_000), 'the customer\'s copy reached the technician');

    await capability.commands!['stop-control']!({ kind: 'stop-control' } as never);
    assert.equal(share.control, 'off');
    assert.deepEqual(audit.map((e) => (e.event === 'screen' ? `${e.action}:${e.by}` : e.event)), ['control.start:customer', 'control.paused:customer', 'control.resumed:customer', 'control.stop:customer']);
    await handle({ type: 'input.pointer', x: 10, y: 10 });
    assert.equal((await x(xvfb.display, 'xdotool', ['getmouselocation'])).includes('x:10 y:10'), false, 'stopped: nothing is injected');
  });
});
