import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../protocol/messages.js';
import type { UiEvent } from '../../ui/types.js';
import type { CapabilityContext } from '../types.js';
import { screenCapabilities } from './index.js';
import { screenBlocker } from './platform.js';

describe('screen sharing where it cannot work', () => {
  it('names the reason: another operating system, or no X11 display', () => {
    assert.equal(screenBlocker({ DISPLAY: ':0' }, 'win32')?.reason, 'unsupported_os');
    assert.equal(screenBlocker({ DISPLAY: ':0' }, 'darwin')?.reason, 'unsupported_os');
    assert.equal(screenBlocker({}, 'linux')?.reason, 'no_display');
    assert.equal(screenBlocker({ DISPLAY: ':0' }, 'linux'), null);
  });

  it('refuses a view request without asking and tells the technician why', async () => {
    const sent: Message[] = [];
    const ctx = {
      send: async (message: Message) => void sent.push(message), drain: async () => undefined,
      ui: { notify: (_event: UiEvent) => undefined }, events: { report: () => undefined },
    } as unknown as CapabilityContext;
    const [view, control] = screenCapabilities(ctx, {});
    assert.equal(view!.consents!['screen.view']!.precheck!({} as never), 'unavailable');
    assert.equal(control!.consents!['screen.control']!.precheck!({} as never), 'unavailable');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent[0], { type: 'screen.state', viewing: false, control: 'off', reason: 'unavailable', detail: 'No X11 display (DISPLAY is not set; Wayland-only sessions are not supported yet).' });
  });
});
