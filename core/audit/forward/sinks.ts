import { appendFile } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** Where forwarded entries go: write resolves once the bytes are handed over, or rejects. */
export interface Sink {
  write(chunk: Buffer): Promise<void>;
  close(): void;
}

/** A forwarding target as configured: `tcp://host:port`, `tls://host:port` or `file:///path`. */
export interface SinkOptions {
  url: string;
  /** PEM CA file content trusted for tls:// (default: the system's CAs). */
  ca?: string;
  connectTimeoutMs?: number;
}

/** Opens the sink for a target URL; throws on a scheme it does not know. */
export function openSink(options: SinkOptions): Sink {
  const url = new URL(options.url);
  if (url.protocol === 'file:') return new FileSink(decodeURIComponent(url.pathname));
  if (url.protocol === 'tcp:' || url.protocol === 'tls:') return new StreamSink(url, options);
  throw new Error(`audit forwarding: unknown target scheme ${url.protocol} (use tcp://, tls:// or file://)`);
}

/** Appends to a local file (JSON lines for a SIEM agent that tails it). */
class FileSink implements Sink {
  constructor(private readonly path: string) {}
  write(chunk: Buffer): Promise<void> {
    return appendFile(this.path, chunk, { mode: 0o640 });
  }
  close(): void {}
}

/**
 * One long-lived TCP or TLS connection, opened on the first write and again after it breaks.
 * TLS always verifies the receiver's certificate and name: an audit trail sent to an impostor
 * is a leak.
 */
class StreamSink implements Sink {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;

  constructor(private readonly url: URL, private readonly options: SinkOptions) {}

  async write(chunk: Buffer): Promise<void> {
    const socket = await this.connection();
    await new Promise<void>((resolve, reject) => {
      socket.write(chunk, (error) => (error ? reject(error) : resolve()));
    }).catch((error: unknown) => {
      this.drop();
      throw error;
    });
  }

  close(): void {
    this.drop();
  }

  private connection(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= this.open().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  private open(): Promise<Socket> {
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.url.port);
    return new Promise((resolve, reject) => {
      const secure = this.url.protocol === 'tls:';
      const socket: Socket = secure
        ? connectTls({ host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, ...(this.options.ca && { ca: this.options.ca }), minVersion: 'TLSv1.2' })
        : connectTcp({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error(`audit forwarding: connect to ${this.url.host} timed out`)), this.options.connectTimeoutMs ?? 10_000);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.on('error', () => this.drop());
        socket.on('close', () => { if (this.socket === socket) this.socket = null; });
        // The receiver never talks back; anything it sends is read and ignored.
        socket.resume();
        this.socket = socket;
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
    });
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
