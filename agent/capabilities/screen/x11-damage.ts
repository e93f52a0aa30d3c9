import type { DamageWatch } from './source.js';
import type { XDisplay } from './x11-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** DAMAGE report level: one event when the damaged region goes from empty to non-empty. */
const NON_EMPTY = 3;

/**
 * Change notification from the X server's DAMAGE extension on the root window (it covers every
 * window drawn on the screen). The server sends one DamageNotify when something is drawn after
 * the region was last emptied; each capture empties it first (Subtract), so a capture only
 * follows a real change and a static screen costs no reads at all.
 */
export class X11Damage implements DamageWatch {
  private readonly id: number;
  private dirty = true;
  private listener: (() => void) | null = null;
  private readonly onEvent = (event: any): void => {
    if (event?.name !== 'DamageNotify' || event.damage !== this.id) return;
    const first = !this.dirty;
    this.dirty = true;
    if (first) this.listener?.();
  };

  constructor(private readonly display: XDisplay, private readonly ext: any) {
    this.id = display.client.AllocID();
    ext.Create(this.id, display.root, NON_EMPTY);
    display.client.on('event', this.onEvent);
  }

  changed(): boolean {
    return this.dirty;
  }

  onChange(listener: (() => void) | null): void {
    this.listener = listener;
  }

  /** Empties the damaged region (call right before reading the screen). */
  reset(): void {
    this.dirty = false;
    this.ext.Subtract(this.id, 0, 0);
  }

  close(): void {
    this.display.client.off?.('event', this.onEvent);
    try {
      this.ext.Destroy(this.id);
    } catch {
      // the connection may be gone
    }
  }
}
