import assert from 'node:assert/strict';
import { basename, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzParams } from '../../../scripts/fuzz-runs.js';
import { candidateName, safeFileName } from './safe-name.js';

// Whatever name the technician sends, the customer's download directory only ever gets a plain
// file name inside it: the invariants below are what placeUnique relies on.

const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('..', '.', '/', '\\', ' ', '\t', '\u0000', '\u0085', 'CON', 'nul.txt', 'com1', '.tar.gz', 'ü', '😀', '\ud800', '<>:"|?*', 'x'.repeat(120)),
);
const name = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

function assertSafe(clean: string): void {
  assert.ok(clean.length > 0);
  assert.ok(Buffer.byteLength(clean) <= 200, `${Buffer.byteLength(clean)} bytes`);
  assert.doesNotMatch(clean, /[/\\<>:"|?*\u0000-\u001f\u007f-\u009f]/);
  assert.doesNotMatch(clean, /^[\s.]/, 'leading dot or space');
  assert.doesNotMatch(clean, /[\s.]$/, 'trailing dot or space');
  assert.doesNotMatch(clean, reserved);
  const dir = '/downloads';
  const target = join(dir, clean);
  assert.equal(relative(dir, target), clean);
  assert.equal(basename(target), clean);
}

describe('safeFileName (fuzz)', () => {
  it('always gives a plain, bounded, visible name inside the directory', () => {
    fc.assert(fc.property(name, (raw) => assertSafe(safeFileName(raw))), fuzzParams());
  });

  it('is idempotent', () => {
    fc.assert(fc.property(name, (raw) => {
      const once = safeFileName(raw);
      assert.equal(safeFileName(once), once);
    }), fuzzParams());
  });

  it('keeps a name that is already safe', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,30}[A-Za-z0-9](\.[a-z0-9]{1,5})?$/).filter((n) => !reserved.test(n));
    fc.assert(fc.property(plain, (n) => assert.equal(safeFileName(n), n)), fuzzParams());
  });

  it('the numbered alternatives of a safe name stay plain names in the directory', () => {
    fc.assert(fc.property(name, fc.integer({ min: 1, max: 999 }), (raw, attempt) => {
      const candidate = candidateName(safeFileName(raw), attempt);
      assert.doesNotMatch(candidate, /[/\\\u0000-\u001f]/);
      assert.equal(basename(join('/downloads', candidate)), candidate);
    }), fuzzParams());
  });
});
