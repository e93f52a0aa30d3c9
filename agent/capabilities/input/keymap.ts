/**
 * Keysym → keycode lookup in an X keyboard mapping (core protocol rules for group 1), and the
 * spare keycodes that can be remapped when a keysym is not on the keyboard at all — what
 * xdotool does to type characters the layout lacks (a German umlaut on a US keymap).
 */

/** How to produce a keysym: which keycode, and whether Shift must be down (null: either way). */
export interface KeyChoice {
  keycode: number;
  shift: boolean | null;
}

/** The keyboard mapping: `rows[i]` lists the keysyms of keycode `minKeycode + i`. */
export interface Keymap {
  minKeycode: number;
  rows: number[][];
}

const isLower = (k: number) => (k >= 0x61 && k <= 0x7a) || (k >= 0xe0 && k <= 0xfe && k !== 0xf7);
const isUpper = (k: number) => (k >= 0x41 && k <= 0x5a) || (k >= 0xc0 && k <= 0xde && k !== 0xd7);

/** The unshifted and shifted keysym of a row, completing a lone letter as the protocol says. */
export function groupOne(row: number[]): [number, number] {
  const first = row[0] ?? 0;
  const second = row[1] ?? 0;
  if (second !== 0) return [first, second];
  if (isLower(first)) return [first, first - 0x20];
  if (isUpper(first)) return [first + 0x20, first];
  return [first, first];
}

/** Finds a keycode for `keysym` (unshifted positions win), or null when the keymap lacks it. */
export function findKeysym(keymap: Keymap, keysym: number): KeyChoice | null {
  let shifted: KeyChoice | null = null;
  for (const [i, row] of keymap.rows.entries()) {
    const [plain, shift] = groupOne(row);
    if (plain === keysym) return { keycode: keymap.minKeycode + i, shift: shift === keysym ? null : false };
    if (shift === keysym && !shifted) shifted = { keycode: keymap.minKeycode + i, shift: true };
  }
  return shifted;
}

/** Keycodes without any keysym, highest first (least likely to be touched by anyone else). */
export function spareKeycodes(keymap: Keymap): number[] {
  const spare: number[] = [];
  for (const [i, row] of keymap.rows.entries()) if (row.every((k) => k === 0)) spare.push(keymap.minKeycode + i);
  return spare.reverse();
}
