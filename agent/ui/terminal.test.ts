import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Lang } from '../i18n.js';
import { TerminalUi } from './terminal.js';
import type { Command } from './types.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('terminal', () => {
  const start = (lang: Lang) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const ui = new TerminalUi(input, output, lang);
    const commands: Command[] = [];
    ui.onCommand((c) => commands.push(c));
    return { ui, commands, out: () => text, say: (line: string) => input.write(`${line}\n`) };
  };

  it('shows the security code prominently, in German', () => {
    const { ui, out } = start('de');
    ui.notify({ event: 'ready', sas: '123 456', rekeyed: false });
    assert.match(out(), /Sicherheitscode: 123 456 — Ihr Techniker muss denselben Code sehen\./);
    ui.close();
  });

  it('asks [y/N]; Enter is no; other text is chat and the question stays; j counts in German', async () => {
    const en = start('en');
    const first = en.ui.ask({ id: 'f', capability: 'file.send', kind: 'confirm', detail: { name: 'setup.exe', size: 1536 } });
    assert.match(en.out(), /send you the file "setup\.exe" \(1\.5 KB\)\.\nAccept\? \[y\/N\]/);
    en.say('wait, what is this file?');
    await tick();
    assert.deepEqual(en.commands, [{ kind: 'chat', text: 'wait, what is this file?' }]);
    assert.equal(en.out().match(/Accept\?/g)?.length, 2, 'asked again');
    en.say('');
    assert.deepEqual(await first, { granted: false });
    en.ui.close();
    const de = start('de');
    const second = de.ui.ask({ id: 'd', capability: 'diagnostics', kind: 'confirm', detail: {} });
    assert.match(de.out(), /Erlauben\? \[j\/N\]/);
    de.say('j');
    assert.deepEqual(await second, { granted: true });
    de.ui.close();
  });

  it('chat lines, /send and /end; Ctrl-C asks before ending', async () => {
    const { ui, commands, out, say } = start('en');
    say('my printer is broken');
    say('/send ~/report.txt');
    ui.interrupt();
    say('n');
    await tick();
    assert.match(out(), /End the support session\? \[y\/N\][\s\S]*The session continues\./);
    ui.interrupt();
    say('y');
    await tick();
    assert.equal(commands[0]!.kind, 'chat');
    assert.equal(commands[1]!.kind, 'send');
    assert.ok((commands[1] as { path: string }).path.endsWith('/report.txt') && !(commands[1] as { path: string }).path.startsWith('~'));
    assert.deepEqual(commands.slice(2), [{ kind: 'end' }]);
    ui.close();
  });

  it('makes a tampering alert unmistakable', () => {
    const { ui, out } = start('en');
    ui.notify({ event: 'alert', code: 'tampered', message: 'x' });
    assert.match(out(), /!!! The connection was tampered with — the session was closed for your safety\. !!!/);
    ui.close();
  });
});
