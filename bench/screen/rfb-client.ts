import { connect, type Socket } from 'node:net';

/**
 * A minimal RFB 3.8 viewer for the benchmark: no security, 32-bit true colour, Tight encoding
 * (with JPEG quality level 7 and zlib level 6, as TigerVNC's defaults). It parses updates just
 * far enough to find their ends, asks for the next incremental update as soon as one is
 * complete (like a real viewer), and counts bytes and updates. It never decodes pixels.
 */
export class RfbCounter {
  bytes = 0;
  updates = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private socket: Socket | null = null;
  private waiting: (() => void) | null = null;
  private width = 0;
  private height = 0;
  private stopped = false;
  private closed = false;

  /** Connects and completes the handshake; updates start flowing right away. */
  async start(port: number): Promise<void> {
    this.closed = false;
    this.buffer = Buffer.alloc(0);
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.waiting?.();
    });
    this.socket.on('error', () => undefined);
    // A refused or dropped connection (x11vnc still starting on a busy machine) must end the
    // wait, so the caller can try again instead of hanging.
    this.socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
    const version = await this.read(12);
    if (!version.toString().startsWith('RFB ')) throw new Error('not an RFB server');
    this.socket.write('RFB 003.008\n');
    const types = await this.read((await this.read(1))[0]!);
    if (!types.includes(1)) throw new Error('the server wants a password');
    this.socket.write(Buffer.from([1]));
    if ((await this.read(4)).readUInt32BE(0) !== 0) throw new Error('security failed');
    this.socket.write(Buffer.from([1])); // shared
    const init = await this.read(24);
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    await this.read(init.readUInt32BE(20));
    this.socket.write(pixelFormat());
    // Tight (7), JPEG quality level 7 (-25), compression level 6 (-250).
    const encodings = [7, -25, -250];
    const set = Buffer.alloc(4 + encodings.length * 4);
    set.writeUInt8(2, 0);
    set.writeUInt16BE(encodings.length, 2);
    encodings.forEach((e, i) => set.writeInt32BE(e, 4 + i * 4));
    this.socket.write(set);
    this.request(false);
    void this.loop();
  }

  /** Zeroes the counters (between warm-up and measurement). */
  reset(): void {
    this.bytes = 0;
    this.updates = 0;
  }

  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
    this.waiting?.();
  }

  private request(incremental: boolean): void {
    const b = Buffer.alloc(10);
    b.writeUInt8(3, 0);
    b.writeUInt8(incremental ? 1 : 0, 1);
    b.writeUInt16BE(this.width, 6);
    b.writeUInt16BE(this.height, 8);
    this.socket?.write(b);
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped) {
        const type = (await this.read(1))[0];
        if (type === 0) {
          const rects = (await this.read(3)).readUInt16BE(1);
          for (let i = 0; i < rects; i += 1) await this.rect();
          this.updates += rects > 0 ? 1 : 0;
          this.request(true);
        } else if (type === 1) {
          const head = await this.read(5);
          await this.read(head.readUInt16BE(3) * 6);
        } else if (type === 2) {
          // bell
        } else if (type === 3) {
          await this.read((await this.read(7)).readUInt32BE(3));
        } else {
          throw new Error(`unknown server message ${type}`);
        }
      }
    } catch {
      // stopped
    }
  }

  private async rect(): Promise<void> {
    const head = await this.read(12);
    const w = head.readUInt16BE(4);
    const h = head.readUInt16BE(6);
    const encoding = head.readInt32BE(8);
    if (encoding === 0) return void (await this.read(w * h * 4));
    if (encoding === 1) return void (await this.read(4));
    if (encoding !== 7) throw new Error(`unexpected encoding ${encoding}`);
    const control = (await this.read(1))[0]!;
    const kind = control >> 4;
    if (kind === 8) return void (await this.read(3)); // fill, 24-bit TPIXEL
    if (kind === 9) return void (await this.read(await this.compactLength())); // JPEG
    let bytesPerPixel = 3;
    let rowBits = w * 24;
    if (control & 0x40) {
      const filter = (await this.read(1))[0];
      if (filter === 1) {
        const colors = (await this.read(1))[0]! + 1;
        await this.read(colors * 3);
        bytesPerPixel = 1;
        rowBits = colors <= 2 ? Math.ceil(w / 8) * 8 : w * 8;
      }
    }
    const size = (rowBits / 8) * h;
    if (size < 12) return void (await this.read(size * (bytesPerPixel === 3 ? 1 : 1)));
    await this.read(await this.compactLength());
  }

  private async compactLength(): Promise<number> {
    let value = 0;
    for (let i = 0; i < 3; i += 1) {
      const byte = (await this.read(1))[0]!;
      value |= (byte & (i === 2 ? 0xff : 0x7f)) << (7 * i);
      if (i < 2 && !(byte & 0x80)) break;
    }
    return value;
  }

  private async read(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.stopped || this.closed) throw new Error(this.stopped ? 'stopped' : 'connection closed');
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
}

/** SetPixelFormat: 32 bpp, depth 24, little endian, true colour, 8 bits per channel. */
function pixelFormat(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt8(0, 0);
  b.writeUInt8(32, 4);
  b.writeUInt8(24, 5);
  b.writeUInt8(0, 6);
  b.writeUInt8(1, 7);
  b.writeUInt16BE(255, 8);
  b.writeUInt16BE(255, 10);
  b.writeUInt16BE(255, 12);
  b.writeUInt8(16, 14);
  b.writeUInt8(8, 15);
  b.writeUInt8(0, 16);
  return b;
}
