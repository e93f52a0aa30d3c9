import { MAX_MESSAGE_BYTES } from './frames.js';
import { ProtocolError } from './errors.js';
import { concat } from './bytes.js';

// Compress-then-encrypt with deflate-raw (CompressionStream exists in browsers and Node 18+).
// Small messages are not worth it; incompressible ones are sent as they are.
const MIN_COMPRESS_BYTES = 256;

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ProtocolError('decompression_limit', `Message expands beyond ${limit} bytes.`);
    }
    chunks.push(value);
  }
  return concat(...chunks);
}

async function transform(data: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const written = writer.write(new Uint8Array(data)).then(() => writer.close()).catch(() => undefined);
  try {
    return await readAll(stream.readable as ReadableStream<Uint8Array>, limit);
  } finally {
    await written;
  }
}

/** Returns [flag, body]: flag 1 when the body is deflate-compressed. */
export async function maybeCompress(data: Uint8Array): Promise<[0 | 1, Uint8Array]> {
  if (data.length < MIN_COMPRESS_BYTES) return [0, data];
  const compressed = await transform(data, new CompressionStream('deflate-raw'), Number.MAX_SAFE_INTEGER);
  return compressed.length < data.length ? [1, compressed] : [0, data];
}

/** Inflates a compressed body, refusing to grow past the message limit. */
export async function decompress(data: Uint8Array): Promise<Uint8Array> {
  try {
    return await transform(data, new DecompressionStream('deflate-raw'), MAX_MESSAGE_BYTES);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('message_invalid', 'Compressed body does not inflate.');
  }
}
