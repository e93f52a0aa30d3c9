/**
 * A bare WebSocket client for the throughput bench: it writes one pre-masked frame over and over
 * and counts received bytes, so the client costs what a plain TCP client costs and the figure
 * measures the relay (which still unmasks every frame, as it must for browsers and agents).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** A masked client frame (FIN set); with zeroMask the mask is 0 and the relay skips unmasking. */
export function maskedFrame(opcode: number, payload: Buffer, zeroMask = false): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65_536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = zeroMask ? Buffer.alloc(4) : randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}

/** Bytes a server (unmasked) frame with this payload length takes on the wire. */
export function serverFrameBytes(length: number): number {
  return length + (length < 126 ? 2 : length < 65_536 ? 4 : 10);
}

/** A raw socket after the WebSocket upgrade, with a reader for the relay's small text frames. */
export class RawClient {
  private buffered = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {}

  /** Upgrades a TCP (ws:) or TLS (wss:, trusting `ca`) connection to the relay and sends the join message. */
  static async join(url: string, ticket: string, ca?: string): Promise<RawClient> {
    const { protocol, hostname, port, pathname } = new URL(url);
    const options = { host: hostname, port: Number(port), noDelay: true };
    const secure = protocol === 'wss:';
    const socket = secure ? connectTls({ ...options, ca }) : connect(options);
    socket.on('error', () => {});
    await once(socket, secure ? 'secureConnect' : 'connect');
    const key = randomBytes(16).toString('base64');
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    const client = new RawClient(socket);
    socket.on('data', (chunk: Buffer) => (client.buffered = Buffer.concat([client.buffered, chunk])));
    let end = -1;
    while ((end = client.buffered.indexOf('\r\n\r\n')) < 0) await once(socket, 'data');
    if (!client.buffered.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) throw new Error('upgrade refused');
    client.buffered = client.buffered.subarray(end + 4);
    socket.write(maskedFrame(0x1, Buffer.from(JSON.stringify({ ticket }))));
    return client;
  }

  /** The next small text frame from the relay (control messages are under 126 bytes). */
  async nextText(): Promise<string> {
    while (this.buffered.length < 2 || this.buffered.length < 2 + (this.buffered[1]! & 0x7f)) await once(this.socket, 'data');
    const length = this.buffered[1]! & 0x7f;
    const text = this.buffered.subarray(2, 2 + length).toString();
    this.buffered = this.buffered.subarray(2 + length);
    return text;
  }

  /** Stops collecting: from now on the caller reads the socket itself. */
  release(): Buffer {
    this.socket.removeAllListeners('data');
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }
}
