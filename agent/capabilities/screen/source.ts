import type { ScreenInfo } from '../../../protocol/screen-messages.js';

// The screen-source interface and its picture types, below both platform.ts (which picks a
// source) and the sources themselves (x11-source.ts), so neither imports the other's file back.

/** One captured picture: 32 bits per pixel, bytes B, G, R, unused (X11 ZPixmap, little endian). */
export interface Frame {
  width: number;
  height: number;
  /** Bytes per row. */
  stride: number;
  data: Buffer;
}

/** The pointer as drawn on screen: position (screen-relative) and, when asked, its shape. */
export interface CursorImage {
  x: number;
  y: number;
  serial: number;
  width: number;
  height: number;
  hotX: number;
  hotY: number;
  /** Premultiplied ARGB32 per pixel, as the X server reports it. */
  argb: Uint32Array | null;
}

/** Reads the customer's screens. */
export interface ScreenSource {
  /** The monitors (RANDR CRTCs), or the whole root when there is no RANDR. */
  screens(): Promise<ScreenInfo[]>;
  /** The current picture of one screen. The buffer is reused by the next capture. */
  capture(screen: ScreenInfo): Promise<Frame>;
  /**
   * Change notification where the platform has it (X11 DAMAGE); absent, the streamer captures
   * and compares at its pace (polling).
   */
  readonly damage?: DamageWatch | null;
  /** The pointer, in root coordinates, with its shape. */
  cursor(): Promise<CursorImage | null>;
  close(): void;
}

/** Tells whether anything was drawn on the screen since the last capture. */
export interface DamageWatch {
  /** Something was drawn since the last capture started. */
  changed(): boolean;
  /** Called (at most once per capture) when something is drawn after a capture. */
  onChange(listener: (() => void) | null): void;
}
