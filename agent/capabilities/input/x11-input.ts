import { isModifierKeysym, SHIFT_KEYSYMS } from '../../../protocol/keysyms.js';
import { call, closeDisplay, openDisplay, requireExtension, type XDisplay } from '../screen/x11-client.js';
import { findKeysym, spareKeycodes, type Keymap } from './keymap.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEY_PRESS = 2;
const KEY_RELEASE = 3;
const BUTTON_PRESS = 4;
const BUTTON_RELEASE = 5;
const MOTION = 6;
/** How long clients get to pick up a remapped keycode before it is pressed. */
const REMAP_SETTLE_MS = 100;
/** How many spare keycodes we cycle through for keysyms the keyboard lacks. */
const SCRATCH_KEYS = 8;

/** What the local-input guard reads: pointer, pressed buttons, pressed keys. */
export interface InputProbe {
  x: number;
  y: number;
  /** Button1..5 bits of the core state mask (0x100 … 0x1000). */
  buttons: number;
  /** Keycodes currently down on the X server. */
  keys: Set<number>;
}

/**
 * Input injection on X11 with XTEST (as if from the real devices). Keys arrive as keysyms and
 * are mapped to this keyboard's keycodes; Shift is added or lifted around a key as the keysym
 * needs, and a keysym the layout lacks is put on a spare keycode first (restored on close).
 * Everything we hold down is tracked, so pausing or stopping can let go of exactly that.
 */
export class X11Input {
  private keymap: Keymap;
  private readonly scratch: number[];
  private readonly remapped = new Map<number, number>();
  private scratchNext = 0;
  /** keysym → keycode we pressed for it (a release must lift the same key). */
  private readonly pressedKeys = new Map<number, number>();
  private readonly pressedButtons = new Set<number>();
  private shiftDown = new Set<number>();
  /**
   * What we injected lately (pointer positions, keycodes and buttons touched, with the time):
   * the server processes XTEST events from its input queue a little later than our requests,
   * so a look at the display may still show an intermediate state of our own input.
   */
  private readonly recent: { kind: 'move' | 'key' | 'button'; value: number; at: number }[] = [];

  private constructor(private readonly display: XDisplay, private readonly xtest: any, keymap: Keymap) {
    this.keymap = keymap;
    this.scratch = spareKeycodes(keymap).slice(0, SCRATCH_KEYS);
  }

  /** Connects and reads the keyboard mapping; fails when XTEST is missing. */
  static async open(name: string): Promise<X11Input> {
    const display = await openDisplay(name);
    try {
      const xtest = await requireExtension(display.client, 'xtest');
      return new X11Input(display, xtest, await readKeymap(display));
    } catch (error) {
      closeDisplay(display);
      throw new Error(`XTEST is not available on this display: ${(error as Error).message}`);
    }
  }

  /** Moves the pointer to root coordinates. */
  move(x: number, y: number): void {
    this.remember('move', x * 65536 + y);
    this.xtest.FakeInput(MOTION, 0, 0, this.display.root, x, y);
  }

  button(button: number, down: boolean): void {
    if (down) this.pressedButtons.add(button);
    else if (!this.pressedButtons.delete(button)) return;
    this.remember('button', button);
    this.xtest.FakeInput(down ? BUTTON_PRESS : BUTTON_RELEASE, button, 0, 0, 0, 0);
  }

  /** One wheel step is a press and release of button 4/5 (vertical) or 6/7 (horizontal). */
  wheel(dx: number, dy: number): void {
    const steps: [number, number][] = [[dy > 0 ? 5 : 4, Math.abs(dy)], [dx > 0 ? 7 : 6, Math.abs(dx)]];
    for (const [button, count] of steps) {
      for (let i = 0; i < count; i += 1) {
        this.xtest.FakeInput(BUTTON_PRESS, button, 0, 0, 0, 0);
        this.xtest.FakeInput(BUTTON_RELEASE, button, 0, 0, 0, 0);
      }
    }
  }

  /** Presses or releases the key for a keysym. */
  async key(keysym: number, down: boolean): Promise<void> {
    if (!down) return this.release(keysym);
    if (this.pressedKeys.has(keysym)) return; // auto-repeat from the browser: X repeats itself
    const choice = findKeysym(this.keymap, keysym) ?? (await this.remap(keysym));
    if (!choice) return;
    const { keycode, shift } = choice;
    if (isModifierKeysym(keysym) || shift === null || shift === (this.shiftDown.size > 0)) {
      this.fakeKey(keycode, true);
    } else {
      // The technician's Shift state does not give this keysym: flip Shift around the press.
      const shiftKeycode = findKeysym(this.keymap, 0xffe1)?.keycode;
      const held = [...this.shiftDown];
      if (shift && shiftKeycode) this.fakeKey(shiftKeycode, true);
      for (const code of held) this.fakeKey(code, false);
      this.fakeKey(keycode, true);
      if (shift && shiftKeycode) this.fakeKey(shiftKeycode, false);
      for (const code of held) this.fakeKey(code, true);
    }
    this.pressedKeys.set(keysym, keycode);
    if (SHIFT_KEYSYMS.has(keysym)) this.shiftDown.add(keycode);
  }

  /** Keycodes and buttons we hold down right now. */
  held(): { keys: Set<number>; buttons: Set<number> } {
    return { keys: new Set(this.pressedKeys.values()), buttons: new Set(this.pressedButtons) };
  }

  /** What we held or touched within the last `ms`: positions (x, y), keycodes, buttons. */
  ours(ms: number): { moves: { x: number; y: number }[]; keys: Set<number>; buttons: Set<number> } {
    const since = Date.now() - ms;
    const { keys, buttons } = this.held();
    const moves: { x: number; y: number }[] = [];
    for (const entry of this.recent) {
      if (entry.at < since) continue;
      if (entry.kind === 'move') moves.push({ x: Math.floor(entry.value / 65536), y: entry.value % 65536 });
      else (entry.kind === 'key' ? keys : buttons).add(entry.value);
    }
    return { moves, keys, buttons };
  }

  private remember(kind: 'move' | 'key' | 'button', value: number): void {
    this.recent.push({ kind, value, at: Date.now() });
    if (this.recent.length > 256) this.recent.splice(0, this.recent.length - 256);
  }

  /** Lets go of every key and button we pressed (pause, stop, end). */
  releaseAll(): void {
    for (const keysym of [...this.pressedKeys.keys()]) this.release(keysym);
    for (const button of [...this.pressedButtons]) this.button(button, false);
  }

  /** Pointer, buttons and keys as the X server sees them now. */
  async probe(): Promise<InputProbe> {
    const [pointer, bits] = await Promise.all([
      call<{ rootX: number; rootY: number; keyMask: number }>(this.display.client, 'QueryPointer', this.display.root),
      call<Buffer>(this.display.client, 'QueryKeymap'),
    ]);
    const keys = new Set<number>();
    for (let byte = 0; byte < 32; byte += 1) for (let bit = 0; bit < 8; bit += 1) if (bits[byte]! & (1 << bit)) keys.add(byte * 8 + bit);
    return { x: pointer.rootX, y: pointer.rootY, buttons: pointer.keyMask & 0x1f00, keys };
  }

  /** Waits until the server has processed everything sent so far. */
  sync(): Promise<void> {
    return this.display.client.sync();
  }

  async close(): Promise<void> {
    this.releaseAll();
    if (this.remapped.size > 0) {
      const perKeycode = this.keymap.rows[0]?.length ?? 2;
      for (const keycode of this.remapped.values()) this.display.client.ChangeKeyboardMapping(keycode, perKeycode, new Array(perKeycode).fill(0));
    }
    await this.sync().catch(() => undefined);
    closeDisplay(this.display);
  }

  private release(keysym: number): void {
    const keycode = this.pressedKeys.get(keysym);
    if (keycode === undefined) return;
    this.pressedKeys.delete(keysym);
    this.shiftDown.delete(keycode);
    this.fakeKey(keycode, false);
  }

  private fakeKey(keycode: number, down: boolean): void {
    this.remember('key', keycode);
    this.xtest.FakeInput(down ? KEY_PRESS : KEY_RELEASE, keycode, 0, 0, 0, 0);
  }

  /** Puts a keysym on a spare keycode (both shift levels), like xdotool does. */
  private async remap(keysym: number): Promise<{ keycode: number; shift: null } | null> {
    const known = this.remapped.get(keysym);
    if (known !== undefined) return { keycode: known, shift: null };
    if (this.scratch.length === 0) return null;
    const keycode = this.scratch[this.scratchNext % this.scratch.length]!;
    this.scratchNext += 1;
    for (const [old, code] of this.remapped) if (code === keycode) this.remapped.delete(old);
    const perKeycode = this.keymap.rows[0]?.length ?? 2;
    const row = new Array(perKeycode).fill(0).map((_, i) => (i < 2 ? keysym : 0));
    this.display.client.ChangeKeyboardMapping(keycode, perKeycode, row);
    this.keymap.rows[keycode - this.keymap.minKeycode] = row;
    this.remapped.set(keysym, keycode);
    // Clients re-read their keymap when they handle MappingNotify (XKB clients asynchronously):
    // let the server apply the change, then give them a moment before the key arrives, or they
    // may still look the new keycode up in the old map. Only the first use of a keysym waits.
    await this.sync();
    await new Promise((resolve) => setTimeout(resolve, REMAP_SETTLE_MS));
    return { keycode, shift: null };
  }
}

async function readKeymap(display: XDisplay): Promise<Keymap> {
  const count = display.maxKeycode - display.minKeycode + 1;
  const rows = await call<number[][]>(display.client, 'GetKeyboardMapping', display.minKeycode, count);
  return { minKeycode: display.minKeycode, rows };
}
