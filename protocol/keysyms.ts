/**
 * Keys travel as X11 keysyms: layout-independent names of what a key means. The console maps
 * a browser KeyboardEvent (`key`, with `code` to tell left from right modifiers) to a keysym;
 * the agent finds or makes a keycode for it on the customer's keyboard. Shared by both ends.
 */

/** Named keys of KeyboardEvent.key → keysym. */
const named: Record<string, number> = {
  Backspace: 0xff08, Tab: 0xff09, Enter: 0xff0d, Pause: 0xff13, ScrollLock: 0xff14, Escape: 0xff1b, Delete: 0xffff,
  Home: 0xff50, ArrowLeft: 0xff51, ArrowUp: 0xff52, ArrowRight: 0xff53, ArrowDown: 0xff54, PageUp: 0xff55, PageDown: 0xff56, End: 0xff57,
  Insert: 0xff63, PrintScreen: 0xff61, ContextMenu: 0xff67, NumLock: 0xff7f, CapsLock: 0xffe5,
  Shift: 0xffe1, Control: 0xffe3, Alt: 0xffe9, Meta: 0xffeb, OS: 0xffeb,
  F1: 0xffbe, F2: 0xffbf, F3: 0xffc0, F4: 0xffc1, F5: 0xffc2, F6: 0xffc3, F7: 0xffc4, F8: 0xffc5, F9: 0xffc6, F10: 0xffc7, F11: 0xffc8, F12: 0xffc9,
  Dead: 0, Unidentified: 0, Process: 0,
};

/** Right-hand modifiers by KeyboardEvent.code. */
const rightModifiers: Record<string, number> = { ShiftRight: 0xffe2, ControlRight: 0xffe4, AltRight: 0xffea, MetaRight: 0xffec, OSRight: 0xffec };

/** Keypad keys whose `key` alone would be taken for the main keyboard's. */
const keypad: Record<string, number> = {
  NumpadEnter: 0xff8d, NumpadMultiply: 0xffaa, NumpadAdd: 0xffab, NumpadSubtract: 0xffad, NumpadDecimal: 0xffae, NumpadDivide: 0xffaf,
};

/**
 * The keysym of one character: Latin-1 characters are their own keysym, everything else is
 * Unicode plus 0x01000000 (X11 convention). Control characters have none.
 */
export function charToKeysym(char: string): number | null {
  const code = char.codePointAt(0);
  if (code === undefined || [...char].length !== 1) return null;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return null;
  return 0x01000000 + code;
}

/** The keysym for a KeyboardEvent's `key` and `code`, or null when it has none (a dead key). */
export function keysymForKey(key: string, code = ''): number | null {
  // AltGr only selects the character the browser already reports with the next key (the '@' of
  // AltGr+Q on a German layout); the customer's layout may differ, so it is not sent itself.
  if (key === 'AltGraph') return null;
  if (rightModifiers[code]) return rightModifiers[code]!;
  if (keypad[code]) return keypad[code]!;
  if (key in named) return named[key] || null;
  return charToKeysym(key);
}

/** Modifier keysyms (Shift, Control, Caps Lock, Alt, Meta, Super, Hyper, AltGr). */
export function isModifierKeysym(keysym: number): boolean {
  return (keysym >= 0xffe1 && keysym <= 0xffee) || keysym === 0xfe03 || keysym === 0xff7e;
}

/** Left and right Shift. */
export const SHIFT_KEYSYMS: ReadonlySet<number> = new Set([0xffe1, 0xffe2]);
