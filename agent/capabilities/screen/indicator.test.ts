import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Lang } from '../../i18n.js';
import { TerminalUi } from '../../ui/terminal.js';
import type { Command } from '../../ui/types.js';

// What the customer sees and types in the agent's terminal about screen sharing and control.
describe('screen sharing in the customer\'s terminal', () => {
  const start = (lang: Lang) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => void (text += chunk.toString()));
    const ui = new TerminalUi(input, output, lang);
    const commands: Command[] = [];
    ui.onCommand((c) => commands.push(c));
    return { ui, commands, out: () => text, say: (line: string) => input.write(`${line}\n`) };
  };

  it('asks view and control separately, and shows control loudly', async () => {
    const { ui, out } = start('en');
    void ui.ask({ id: 'v', capability: 'screen.view', kind: 'confirm', detail: {} });
    assert.match(out(), /asks to SEE your screen[^]*Allow\? \[y\/N\]/);
    ui.notify({ event: 'screen', state: 'control' });
    assert.match(out(), /!!! YOUR TECHNICIAN IS NOW CONTROLLING YOUR MOUSE AND KEYBOARD\. Move your mouse to pause; \/stop-control to end\. !!!/);
    ui.notify({ event: 'screen', state: 'control-paused' });
    assert.match(out(), /remote control is paused until you stop for a moment/);
    ui.close();
  });

  it('takes /stop-control and /stop-screen as commands, in German too', async () => {
    const { ui, commands, say, out } = start('de');
    ui.notify({ event: 'screen', state: 'viewing' });
    assert.match(out(), /Ihr Bildschirm wird mit Ihrem Techniker geteilt\. \/stop-screen beendet das\./);
    say('/stop-control');
    say('/stop-screen');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(commands, [{ kind: 'stop-control' }, { kind: 'stop-screen' }]);
    ui.close();
  });

  it('names what runs in the window title, loudly while controlled, and clears it at the end', () => {
    const input = new PassThrough();
    const output = Object.assign(new PassThrough(), { isTTY: true });
    let text = '';
    output.on('data', (chunk: Buffer) => void (text += chunk.toString()));
    const titles = () => [...text.matchAll(/\x1b\]0;([^\x07]*)\x07/g)].map((m) => m[1]);
    const ui = new TerminalUi(input, output, 'en', 'ACME Corp');
    assert.match(text, /RescueBox remote support – ACME Corp/);
    assert.match(text, /To quit at any time: type \/end, press Ctrl\+C, or close the window\. Nothing stays installed\./);
    ui.notify({ event: 'screen', state: 'control' });
    ui.notify({ event: 'screen', state: 'control-paused' });
    ui.notify({ event: 'screen', state: 'control-resumed' });
    ui.notify({ event: 'screen', state: 'control-stopped' });
    ui.close();
    assert.deepEqual(titles(), [
      'RescueBox remote support – ACME Corp', 'BEING CONTROLLED – RescueBox remote support – ACME Corp', 'RescueBox remote support – ACME Corp',
      'BEING CONTROLLED – RescueBox remote support – ACME Corp', 'RescueBox remote support – ACME Corp', '',
    ]);
  });
});
