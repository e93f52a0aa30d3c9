import type { ScreenInfo } from '../../../protocol/screen-messages.js';
import type { CursorImage, DamageWatch, Frame, ScreenSource } from './source.js';
import { X11Damage } from './x11-damage.js';
import { randrMonitors } from './randr-monitors.js';
import { call, closeDisplay, openDisplay, requireExtension, type RawClient, type XDisplay } from './x11-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const Z_PIXMAP = 2;
const ALL_PLANES = 0xffffffff;

/**
 * Screen capture on X11: MIT-SHM GetImage when the server shares memory with us (a 1080p
 * screen reads in ~3 ms), core GetImage otherwise; monitors from RANDR (1.5 monitors, else
 * CRTCs); the pointer and its shape from XFIXES; whether anything changed from DAMAGE. Only 24/32-bit TrueColor screens are supported (every current desktop).
 */
export class X11ScreenSource implements ScreenSource {
  private segment: any = null;
  private segmentSize = 0;

  private constructor(
    private readonly display: XDisplay, private readonly shm: any, private readonly randr: any, private readonly fixes: any,
    readonly damage: X11Damage | null,
  ) {}

  /** Connects and loads the extensions (each optional except the core protocol). */
  static async open(name: string): Promise<X11ScreenSource> {
    const display = await openDisplay(name);
    if (display.depth !== 24 && display.depth !== 32) {
      closeDisplay(display);
      throw new Error(`Screen depth ${display.depth} is not supported (24 or 32 bits only).`);
    }
    const optional = (ext: string) => requireExtension(display.client, ext).catch(() => null);
    const [shm, randr, fixes, damage] = await Promise.all([optional('shm'), optional('randr'), optional('fixes'), optional('damage')]);
    const usable = shm ? await call<boolean>(shm, 'usable').catch(() => false) : false;
    return new X11ScreenSource(display, usable ? shm : null, randr, fixes, damage ? new X11Damage(display, damage) : null);
  }

  async screens(): Promise<ScreenInfo[]> {
    const root: ScreenInfo = { id: 'root', name: 'Screen', x: 0, y: 0, width: this.display.width, height: this.display.height, primary: true };
    if (!this.randr) return [root];
    try {
      return (await randrMonitors(this.display.client, this.randr, this.display.root)) ?? (await this.monitors()) ?? [root];
    } catch {
      return [root];
    }
  }

  async capture(screen: ScreenInfo): Promise<Frame> {
    const { x, y, width, height } = clip(screen, this.display);
    const size = width * height * 4;
    // Reset before reading: whatever is drawn from here on is reported for the next capture.
    this.damage?.reset();
    if (this.shm) {
      const segment = await this.segmentFor(size);
      await call(segment, 'getImage', this.display.root, x, y, width, height, ALL_PLANES, Z_PIXMAP, 0);
      return { width, height, stride: width * 4, data: (segment.buffer as Buffer).subarray(0, size) };
    }
    const image = await call<{ data: Buffer }>(this.display.client, 'GetImage', Z_PIXMAP, this.display.root, x, y, width, height, ALL_PLANES);
    return { width, height, stride: width * 4, data: image.data.subarray(0, size) };
  }

  async cursor(): Promise<CursorImage | null> {
    if (!this.fixes) {
      const pointer = await call<{ rootX: number; rootY: number }>(this.display.client, 'QueryPointer', this.display.root);
      return { x: pointer.rootX, y: pointer.rootY, serial: 0, width: 0, height: 0, hotX: 0, hotY: 0, argb: null };
    }
    const image = await call<any>(this.fixes, 'GetCursorImage');
    const pixels: Buffer | number[] | undefined = image.cursorImage;
    let argb: Uint32Array | null = null;
    if (pixels && image.width > 0 && image.height > 0) {
      argb = Buffer.isBuffer(pixels) ? new Uint32Array(pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + image.width * image.height * 4)) : Uint32Array.from(pixels);
    }
    return { x: image.x, y: image.y, serial: image.cursorSerial >>> 0, width: image.width, height: image.height, hotX: image.xhot, hotY: image.yhot, argb };
  }

  close(): void {
    this.damage?.close();
    try {
      this.segment?.detach();
    } catch {
      // the connection may be gone
    }
    closeDisplay(this.display);
  }

  /** Active RANDR CRTCs as screens, or null when RANDR reports none. */
  private async monitors(): Promise<ScreenInfo[] | null> {
    const randr = this.randr;
    await call(randr, 'QueryVersion', 1, 3);
    const resources = await call<{ crtcs: number[]; config_timestamp: number }>(randr, 'GetScreenResourcesCurrent', this.display.root);
    const primary = await call<number>(randr, 'GetOutputPrimary', this.display.root).catch(() => 0);
    const screens: ScreenInfo[] = [];
    for (const crtc of resources.crtcs.slice(0, 16)) {
      const info = await call<{ x: number; y: number; width: number; height: number; mode: number; output: number[] }>(randr, 'GetCrtcInfo', crtc, resources.config_timestamp);
      if (!info.mode || info.width === 0 || info.height === 0) continue;
      const output = info.output[0];
      const name = output ? (await call<{ name: string }>(randr, 'GetOutputInfo', output, resources.config_timestamp).catch(() => ({ name: '' }))).name : '';
      screens.push({ id: `crtc-${crtc}`, name: (name || `Screen ${screens.length + 1}`).slice(0, 100), x: info.x, y: info.y, width: info.width, height: info.height, primary: output !== undefined && output === primary });
    }
    if (screens.length === 0) return null;
    if (!screens.some((s) => s.primary)) screens[0]!.primary = true;
    return screens;
  }

  private async segmentFor(size: number): Promise<any> {
    if (this.segment && this.segmentSize >= size) return this.segment;
    if (this.segment) this.segment.detach();
    this.segment = await call(this.shm, 'createSegment', size);
    this.segmentSize = size;
    return this.segment;
  }

  /** The raw connection, for helpers that need it (tests). */
  get client(): RawClient {
    return this.display.client;
  }
}

/** The part of a screen that lies on the root window (monitors may be configured past it). */
function clip(screen: ScreenInfo, display: XDisplay): { x: number; y: number; width: number; height: number } {
  const x = Math.max(0, screen.x);
  const y = Math.max(0, screen.y);
  return { x, y, width: Math.max(1, Math.min(screen.width, display.width - x)), height: Math.max(1, Math.min(screen.height, display.height - y)) };
}
