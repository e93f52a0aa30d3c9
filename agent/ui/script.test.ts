import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ScriptUi } from './script.js';
import type { Command } from './types.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('script mode', () => {
  const start = () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    output.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
    const ui = new ScriptUi(input, output);
    const commands: Command[] = [];
    ui.onCommand((c) => commands.push(c));
    return { ui, lines, commands, say: (line: string) => input.write(`${line}\n`) };
  };

  it('prints events as JSON lines and takes chat, send and end', async () => {
    const { ui, lines, commands, say } = start();
    ui.notify({ event: 'ready', sas: '123 456', rekeyed: false });
    say('chat hello there');
    say('send /tmp/a file.txt');
    say('end');
    say('dance');
    await tick();
    assert.deepEqual(commands, [{ kind: 'chat', text: 'hello there' }, { kind: 'send', path: '/tmp/a file.txt' }, { kind: 'end' }]);
    assert.deepEqual(lines[0], { event: 'ready', sas: '123 456', rekeyed: false });
    assert.deepEqual(lines.at(-1), { event: 'error', message: 'unknown command: dance' });
    ui.close();
  });

  it('answers the oldest prompt first; a path prompt needs a path that passes its check', async () => {
    const { ui, lines, say } = start();
    const first = ui.ask({ id: 'a', capability: 'diagnostics', kind: 'confirm', detail: {} });
    const second = ui.ask({ id: 'b', capability: 'file.receive', kind: 'path', detail: {} }, async (answer) => (answer.granted && answer.path === '/ok' ? null : 'no such file'));
    assert.deepEqual(lines.map((l) => l.id), ['a'], 'one prompt shown at a time');
    say('yes');
    assert.deepEqual(await first, { granted: true });
    say('yes');
    say('path /missing');
    say('path /ok');
    assert.deepEqual(await second, { granted: true, path: '/ok' });
    assert.deepEqual(lines.filter((l) => l.event === 'error').map((l) => l.message), ['answer a file request with: path <file> (or no)', 'no such file']);
    say('no');
    await tick();
    assert.deepEqual(lines.at(-1), { event: 'error', message: 'no open prompt' });
    ui.close();
  });

  it('closing refuses what is still open', async () => {
    const { ui } = start();
    const open = ui.ask({ id: 'x', capability: 'diagnostics', kind: 'confirm', detail: {} });
    ui.close();
    assert.deepEqual(await open, { granted: false });
  });
});
