import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ScreenInfo } from '../../../protocol/screen-messages.js';
import { parseMonitors } from './randr-monitors.js';
import { startXvfb, x, type Xvfb } from './testing/xvfb.js';
import { X11ScreenSource } from './x11-source.js';

const run = promisify(execFile);

// Several monitors: Xvfb has one output and ignores `xrandr --setmonitor`, so the RANDR 1.5
// answer of a two-monitor desktop is parsed from its wire form, and capturing one monitor is
// proven on a real display whose halves stand for two monitors side by side.
describe('multiple monitors', () => {
  it('reads a two-monitor RANDR 1.5 GetMonitors answer', () => {
    const reply = Buffer.alloc(24 + 2 * 28);
    reply.writeUInt32LE(2, 4);
    const monitor = (offset: number, atom: number, primary: boolean, x: number, y: number, w: number, h: number) => {
      reply.writeUInt32LE(atom, offset);
      reply.writeUInt8(primary ? 1 : 0, offset + 4);
      reply.writeUInt16LE(1, offset + 6);
      reply.writeInt16LE(x, offset + 8);
      reply.writeInt16LE(y, offset + 10);
      reply.writeUInt16LE(w, offset + 12);
      reply.writeUInt16LE(h, offset + 14);
    };
    monitor(24, 300, false, 0, 0, 1920, 1080);
    monitor(52, 301, true, 1920, -120, 1280, 1024);
    assert.deepEqual(parseMonitors(reply), [
      { name: 300, primary: false, x: 0, y: 0, width: 1920, height: 1080 },
      { name: 301, primary: true, x: 1920, y: -120, width: 1280, height: 1024 },
    ]);
  });

  describe('on a real display', () => {
    let xvfb: Xvfb;
    let dir: string;
    const left: ScreenInfo = { id: 'monitor-0', name: 'Left', x: 0, y: 0, width: 320, height: 240, primary: true };
    const right: ScreenInfo = { id: 'monitor-1', name: 'Right', x: 320, y: 0, width: 320, height: 240, primary: false };

    before(async () => {
      xvfb = await startXvfb(640, 240);
      dir = mkdtempSync(join(tmpdir(), 'rb-monitors-'));
      const picture = join(dir, 'halves.png');
      await run('convert', ['-size', '640x240', 'xc:#ff0000', '-fill', '#0000ff', '-draw', 'rectangle 320,0 639,239', picture]);
      // `display -window root` sets the root's background and exits non-zero: only the picture counts.
      await x(xvfb.display, 'display', ['-window', 'root', picture]).catch(() => '');
    });
    after(async () => {
      await xvfb.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** The frame's pixels as distinct RGB colours. */
    const coloursOf = (data: Buffer, width: number, height: number) => {
      const colours = new Set<string>();
      for (let i = 0; i < width * height; i += 1) colours.add(`${data[i * 4 + 2]},${data[i * 4 + 1]},${data[i * 4]}`);
      return [...colours];
    };

    it('captures only the chosen monitor\'s part of the desktop', async () => {
      const source = await X11ScreenSource.open(xvfb.display);
      try {
        const a = await source.capture(left);
        assert.deepEqual([a.width, a.height], [320, 240]);
        assert.deepEqual(coloursOf(a.data, a.width, a.height), ['255,0,0']);
        const b = await source.capture(right);
        assert.deepEqual([b.width, b.height], [320, 240]);
        assert.deepEqual(coloursOf(b.data, b.width, b.height), ['0,0,255']);
        // A monitor configured past the root is clipped to what exists.
        const beyond = await source.capture({ ...right, id: 'wide', width: 500 });
        assert.deepEqual([beyond.width, beyond.height], [320, 240]);
      } finally {
        source.close();
      }
    });
  });
});
