/**
 * The `palette` rectangle encoding, shared by agent (encode) and console (decode):
 *   u8 count-1 ‖ count × RGB ‖ indices, packed MSB first at 1, 2, 4 or 8 bits per pixel (the
 *   fewest that hold count-1), each row padded to whole bytes.
 * Text and UI have few colours per rectangle; packing them small before the channel's deflate
 * keeps small updates (a typed character) small.
 */

/** Bits per index for a palette of `count` colours. */
export function paletteBits(count: number): 1 | 2 | 4 | 8 {
  return count <= 2 ? 1 : count <= 4 ? 2 : count <= 16 ? 4 : 8;
}

/** Bytes of the packed indices of a w×h rectangle. */
export function packedSize(w: number, h: number, bits: number): number {
  return Math.ceil((w * bits) / 8) * h;
}

/** Packs one index per pixel (row by row) into `bits`-bit fields. */
export function packIndices(indices: Uint8Array, w: number, h: number, bits: number): Uint8Array {
  if (bits === 8) return indices;
  const rowBytes = Math.ceil((w * bits) / 8);
  const out = new Uint8Array(rowBytes * h);
  const perByte = 8 / bits;
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const shift = 8 - bits * ((x % perByte) + 1);
      out[y * rowBytes + Math.floor(x / perByte)]! |= indices[y * w + x]! << shift;
    }
  }
  return out;
}

/** Unpacks `bits`-bit fields into one index per pixel. */
export function unpackIndices(packed: Uint8Array, w: number, h: number, bits: number): Uint8Array {
  if (bits === 8) return packed;
  const rowBytes = Math.ceil((w * bits) / 8);
  const out = new Uint8Array(w * h);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      out[y * w + x] = (packed[y * rowBytes + Math.floor(x / perByte)]! >> (8 - bits * ((x % perByte) + 1))) & mask;
    }
  }
  return out;
}
