import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../protocol/messages.js';
import type { UiEvent } from '../../ui/types.js';
import type { CapabilityContext } from '../types.js';
import { screenCapabilities } from './index.js';
import { screenBlocker, WAYLAND_DETAIL } from './platform.js';

describe('screen sharing where it cannot work', () => {
  it('names the reason: another operating system, or no X11 display', () => {
    assert.equal(screenBlocker({ DISPLAY: ':0' }, 'darwin')?.reason, 'unsupported_os');
    assert.equal(screenBlocker({}, 'linux')?.reason, 'no_display');
    assert.equal(screenBlocker({ DISPLAY: ':0' }, 'linux'), null);
  });

  it('a Wayland desktop is refused even with an XWayland DISPLAY (its root is black outside X11 programs)', () => {
    const wayland = [
      { WAYLAND_DISPLAY: 'wayland-0' },
      { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' },
      { XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' },
      { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-1', DISPLAY: ':1' },
    ];
    for (const env of wayland) {
      const blocker = screenBlocker(env, 'linux');
      assert.equal(blocker?.reason, 'wayland', JSON.stringify(env));
      assert.equal(blocker?.message, WAYLAND_DETAIL);
    }
    assert.match(WAYLAND_DETAIL, /browser client/);
    // X11 sessions stay X11: a nested compositor inside one, or an empty WAYLAND_DISPLAY.
    assert.equal(screenBlocker({ XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, 'linux'), null);
    assert.equal(screenBlocker({ WAYLAND_DISPLAY: '', DISPLAY: ':0' }, 'linux'), null);
    assert.equal(screenBlocker({ XDG_SESSION_TYPE: 'tty' }, 'linux')?.reason, 'no_display');
  });

  it('refuses a view request without asking and tells the technician why', async () => {
    const sent: Message[] = [];
    const ctx = {
      send: async (message: Message) => void sent.push(message), drain: async () => undefined,
      ui: { notify: (_event: UiEvent) => undefined }, events: { report: () => undefined },
    } as unknown as CapabilityContext;
    const [view, control] = screenCapabilities(ctx, {});
    assert.deepEqual(view!.consents!['screen.view']!.precheck!({} as never), { reason: 'unavailable', why: 'no_display' });
    assert.deepEqual(control!.consents!['screen.control']!.precheck!({} as never), { reason: 'unavailable', why: 'no_display' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent[0], { type: 'screen.state', viewing: false, control: 'off', reason: 'unavailable', detail: 'No X11 display (DISPLAY is not set).' });
  });
});
