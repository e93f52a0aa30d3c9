import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { candidateName, placeUnique, safeFileName } from './safe-name.js';

describe('safe file names', () => {
  const cases: [string, string][] = [
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system32\\evil.dll', 'evil.dll'],
    ['/absolute/path/file.txt', 'file.txt'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['.bashrc', 'bashrc'],
    ['...hidden', 'hidden'],
    ['name.', 'name'],
    ['bad\u0000na\u001bme\n.txt', 'badname.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['Überweisung März.pdf', 'Überweisung März.pdf'],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(safeFileName(input), expected));

  it('keeps names within 200 bytes, with their extension', () => {
    const long = safeFileName(`${'ä'.repeat(300)}.tar.gz`);
    assert.ok(Buffer.byteLength(long) <= 200);
    assert.ok(long.endsWith('.gz'));
  });

  it('numbers candidates before the extension', () => {
    assert.deepEqual([0, 1, 2].map((i) => candidateName('photo.jpg', i)), ['photo.jpg', 'photo (1).jpg', 'photo (2).jpg']);
    assert.equal(candidateName('README', 1), 'README (1)');
  });

  // Counter-examples found by safe-name.fuzz.test.ts: cutting to 200 bytes happened after trimming.
  it('a name cut to length never ends in a dot or a space, and is never a device name', () => {
    const dotsAtCut = `!${'\u{10000}'.repeat(9)}${'x'.repeat(120)}${'\u{10000}'.repeat(8)}\u0800CON..${'\u{10000}'.repeat(5)}`;
    const cut = safeFileName(dotsAtCut);
    assert.ok(cut.endsWith('CON'), cut.slice(-8));
    assert.equal(safeFileName(cut), cut);
    assert.equal(safeFileName(`con${' '.repeat(197)}\u{1F600}`), '_con');
  });

  describe('placing a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rescuebox-names-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('never overwrites: existing names get a number; the temp file is gone', async () => {
      writeFileSync(join(dir, 'notes.txt'), 'the customer\'s own file');
      for (const content of ['first', 'second']) {
        const temp = join(dir, `.tmp-${content}`);
        writeFileSync(temp, content);
        await placeUnique(temp, dir, '../notes.txt');
      }
      assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'the customer\'s own file');
      assert.equal(readFileSync(join(dir, 'notes (1).txt'), 'utf8'), 'first');
      assert.equal(readFileSync(join(dir, 'notes (2).txt'), 'utf8'), 'second');
      assert.deepEqual(readdirSync(dir).sort(), ['notes (1).txt', 'notes (2).txt', 'notes.txt']);
    });
  });
});
