import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charToKeysym, keysymForKey } from '../../../protocol/keysyms.js';
import { LocalInputGuard, type GuardSource } from './guard.js';
import { findKeysym, groupOne, spareKeycodes, type Keymap } from './keymap.js';
import type { InputProbe } from './x11-input.js';

// A slice of a US keymap: keycode 10 '1 !', 38 'a' (lone letter), 50 Shift_L, 61 '/ ?', 113 Left.
const keymap: Keymap = { minKeycode: 8, rows: Array.from({ length: 120 }, () => [0, 0]) };
keymap.rows[10 - 8] = [0x31, 0x21];
keymap.rows[38 - 8] = [0x61, 0];
keymap.rows[50 - 8] = [0xffe1, 0];
keymap.rows[61 - 8] = [0x2f, 0x3f];
keymap.rows[113 - 8] = [0xff51, 0];

describe('keysym → keycode', () => {
  it('follows the core protocol rules for group 1', () => {
    assert.deepEqual(groupOne([0x61, 0]), [0x61, 0x41]);
    assert.deepEqual(groupOne([0x41, 0]), [0x61, 0x41]);
    assert.deepEqual(groupOne([0xe4, 0]), [0xe4, 0xc4], 'ä / Ä');
    assert.deepEqual(groupOne([0xff51, 0]), [0xff51, 0xff51]);
  });

  it('says which keycode and whether Shift is needed', () => {
    assert.deepEqual(findKeysym(keymap, 0x61), { keycode: 38, shift: false });
    assert.deepEqual(findKeysym(keymap, 0x41), { keycode: 38, shift: true });
    assert.deepEqual(findKeysym(keymap, 0x21), { keycode: 10, shift: true });
    assert.deepEqual(findKeysym(keymap, 0x2f), { keycode: 61, shift: false });
    assert.deepEqual(findKeysym(keymap, 0xff51), { keycode: 113, shift: null }, 'Shift+Left keeps Shift');
    assert.equal(findKeysym(keymap, 0xe4), null, 'ä is not on a US keymap: it must be remapped');
  });

  it('finds spare keycodes, highest first', () => {
    const spare = spareKeycodes(keymap);
    assert.equal(spare[0], 127);
    assert.ok(!spare.includes(38) && !spare.includes(50));
  });
});

describe('browser key → keysym', () => {
  it('maps characters, umlauts, other scripts and named keys', () => {
    assert.equal(keysymForKey('a', 'KeyA'), 0x61);
    assert.equal(keysymForKey('A', 'KeyA'), 0x41);
    assert.equal(keysymForKey('ä', 'Quote'), 0xe4);
    assert.equal(keysymForKey('Ö', 'Semicolon'), 0xd6);
    assert.equal(keysymForKey('ß', 'Minus'), 0xdf);
    assert.equal(keysymForKey('€', 'KeyE'), 0x010020ac);
    assert.equal(keysymForKey('Enter', 'Enter'), 0xff0d);
    assert.equal(keysymForKey('Enter', 'NumpadEnter'), 0xff8d);
    assert.equal(keysymForKey('Shift', 'ShiftLeft'), 0xffe1);
    assert.equal(keysymForKey('Shift', 'ShiftRight'), 0xffe2);
    assert.equal(keysymForKey('AltGraph', 'AltRight'), null);
    assert.equal(keysymForKey('Alt', 'AltRight'), 0xffea);
    assert.equal(keysymForKey('@', 'KeyQ'), 0x40);
    assert.equal(keysymForKey('Dead', 'Backquote'), null);
    assert.equal(keysymForKey('F5', 'F5'), 0xffc2);
    assert.equal(charToKeysym('\n'), null);
    assert.equal(charToKeysym('ab'), null);
  });
});

describe('local input guard', () => {
  const state = (x: number, y: number, extra: Partial<InputProbe> = {}): InputProbe => ({ x, y, buttons: 0, keys: new Set(), ...extra });

  function setup() {
    let probe = state(10, 10);
    let now = 0;
    const events: string[] = [];
    const source: GuardSource & { moves: { x: number; y: number }[]; keys: Set<number> } = {
      moves: [], keys: new Set(),
      probe: async () => probe,
      ours() {
        return { moves: this.moves, keys: this.keys, buttons: new Set<number>() };
      },
    };
    const guard = new LocalInputGuard(source, { onPause: () => events.push('pause'), onResume: () => events.push('resume') }, { intervalMs: 50, releaseMs: 1500 }, () => now);
    return { guard, source, events, set: (p: InputProbe) => void (probe = p), advance: (ms: number) => void (now += ms) };
  }

  it('ignores what we injected, pauses on the customer\'s own movement, resumes after a quiet moment', async () => {
    const { guard, source, events, set, advance } = setup();
    await guard.poll();
    source.moves = [{ x: 250, y: 150 }, { x: 300, y: 200 }];
    set(state(250, 150));
    await guard.poll();
    set(state(300, 200));
    await guard.poll();
    assert.deepEqual(events, [], 'our own moves (even one the display shows late) are not the customer');
    set(state(310, 205));
    await guard.poll();
    assert.deepEqual(events, ['pause']);
    advance(1000);
    await guard.poll();
    assert.deepEqual(events, ['pause'], 'still within the release time');
    advance(600);
    await guard.poll();
    assert.deepEqual(events, ['pause', 'resume']);
  });

  it('pauses for keys and buttons we did not press, not for ours', async () => {
    const { guard, source, events, set } = setup();
    await guard.poll();
    source.keys.add(38);
    set(state(10, 10, { keys: new Set([38]) }));
    await guard.poll();
    assert.deepEqual(events, []);
    set(state(10, 10, { keys: new Set([38, 50]) }));
    await guard.poll();
    assert.deepEqual(events, ['pause']);
    assert.equal(guard.isLocal(state(10, 10, { buttons: 0x100 })), true, 'a button we did not press');
  });
});
