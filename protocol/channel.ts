import { concat, equalBytes, own, readU64, u64, utf8 } from './bytes.js';
import { decompress, maybeCompress } from './compression.js';
import { ProtocolError } from './errors.js';
import { FrameKind, MAX_FRAME_BYTES, MAX_MESSAGE_BYTES, frameKind } from './frames.js';
import type { SessionKeys } from './handshake.js';

const subtle = globalThis.crypto.subtle;
const DATA_HEADER = 9;
const TAG_BYTES = 16;

/**
 * The encrypted channel after the handshake. Every message is compressed (when it helps), then
 * sealed with AES-256-GCM under the sender's direction key with a counter nonce; the header
 * (kind + counter) is authenticated too. The receiver accepts exactly the next counter: a
 * replayed, reordered, dropped or altered frame is a ProtocolError, and the session ends.
 *
 * Sent frames are kept until the peer acknowledges them, so after a network cut the peer can
 * say where it stopped (RESUME) and the rest is sent again: the session survives the cut
 * without ever accepting a frame twice.
 */
export class SecureChannel {
  private sendCounter = 0;
  private receiveCounter = 0;
  private readonly unacked: { counter: number; frame: Uint8Array }[] = [];
  private unackedBytes = 0;

  constructor(private readonly keys: SessionKeys) {}

  /** Short authentication string of this session. */
  get sas(): string {
    return this.keys.sas;
  }

  /** Bytes sent but not yet acknowledged (senders slow down when this grows). */
  get pendingBytes(): number {
    return this.unackedBytes;
  }

  /** Counter of the next frame expected from the peer (what an ACK or RESUME reports). */
  get nextExpected(): number {
    return this.receiveCounter;
  }

  /** Encrypts one message into a DATA frame and remembers it until acknowledged. */
  async seal(message: Uint8Array): Promise<Uint8Array> {
    if (message.length > MAX_MESSAGE_BYTES) throw new ProtocolError('message_invalid', 'Message too large.');
    const [flag, body] = await maybeCompress(message);
    const counter = this.sendCounter;
    this.sendCounter += 1;
    const header = concat(Uint8Array.of(FrameKind.Data), u64(counter));
    const sealed = new Uint8Array(await subtle.encrypt(
      { name: 'AES-GCM', iv: nonce(counter), additionalData: own(concat(header, this.keys.transcriptHash)) }, this.keys.send, own(concat(Uint8Array.of(flag), body)),
    ));
    const frame = concat(header, sealed);
    if (frame.length > MAX_FRAME_BYTES) throw new ProtocolError('frame_too_large', 'Message does not fit a frame.');
    this.unacked.push({ counter, frame });
    this.unackedBytes += frame.length;
    return frame;
  }

  /** Decrypts the next DATA frame; throws ProtocolError for anything but the exact next frame. */
  async open(frame: Uint8Array): Promise<Uint8Array> {
    if (frameKind(frame) !== FrameKind.Data || frame.length < DATA_HEADER + TAG_BYTES + 1) throw new ProtocolError('frame_malformed', 'Malformed DATA frame.');
    const counter = readU64(frame, 1);
    let plain: Uint8Array;
    try {
      plain = new Uint8Array(await subtle.decrypt(
        { name: 'AES-GCM', iv: nonce(counter), additionalData: own(concat(frame.subarray(0, DATA_HEADER), this.keys.transcriptHash)) }, this.keys.receive, own(frame.subarray(DATA_HEADER)),
      ));
    } catch {
      throw new ProtocolError('tampered', `Frame ${counter} failed authentication: it was altered.`);
    }
    if (counter !== this.receiveCounter) {
      const what = counter < this.receiveCounter ? 'replayed' : 'out of order (a frame was dropped or reordered)';
      throw new ProtocolError('replayed_or_reordered', `Frame ${counter} ${what}; expected ${this.receiveCounter}.`);
    }
    this.receiveCounter += 1;
    const flag = plain[0];
    if (flag === 0) return plain.subarray(1);
    if (flag === 1) return decompress(plain.subarray(1));
    throw new ProtocolError('message_invalid', 'Unknown body flag.');
  }

  /** An ACK frame telling the peer everything before our next expected counter arrived. */
  ackFrame(): Promise<Uint8Array> {
    return this.controlFrame(FrameKind.Ack, this.receiveCounter);
  }

  /** A RESUME frame sent after reconnecting: "send again from here". */
  resumeFrame(): Promise<Uint8Array> {
    return this.controlFrame(FrameKind.Resume, this.receiveCounter);
  }

  /** Handles a peer's ACK: forgets frames it has. */
  async handleAck(frame: Uint8Array): Promise<void> {
    this.dropAcked(await this.readControl(FrameKind.Ack, frame));
  }

  /** Handles a peer's RESUME: returns the frames to send again, in order. */
  async handleResume(frame: Uint8Array): Promise<Uint8Array[]> {
    const from = await this.readControl(FrameKind.Resume, frame);
    this.dropAcked(from);
    if (this.unacked.length > 0 && this.unacked[0]!.counter !== from) {
      throw new ProtocolError('replayed_or_reordered', `Peer resumes at ${from}, but frames from ${this.unacked[0]!.counter} are all that is kept.`);
    }
    return this.unacked.map((entry) => entry.frame);
  }

  private dropAcked(upTo: number): void {
    if (upTo > this.sendCounter) throw new ProtocolError('tampered', 'Peer acknowledges frames never sent.');
    while (this.unacked.length > 0 && this.unacked[0]!.counter < upTo) this.unackedBytes -= this.unacked.shift()!.frame.length;
  }

  private async controlFrame(kind: number, counter: number): Promise<Uint8Array> {
    const body = concat(Uint8Array.of(kind), u64(counter));
    const mac = new Uint8Array(await subtle.sign('HMAC', this.keys.macOwn, own(concat(utf8.encode('control'), body, this.keys.transcriptHash))));
    return concat(body, mac);
  }

  private async readControl(kind: number, frame: Uint8Array): Promise<number> {
    if (frame.length !== 41 || frame[0] !== kind) throw new ProtocolError('frame_malformed', 'Malformed control frame.');
    const body = frame.subarray(0, 9);
    const expected = new Uint8Array(await subtle.sign('HMAC', this.keys.macPeer, own(concat(utf8.encode('control'), body, this.keys.transcriptHash))));
    if (!equalBytes(expected, frame.subarray(9))) throw new ProtocolError('tampered', 'Control frame failed authentication.');
    return readU64(frame, 1);
  }
}

/** 96-bit GCM nonce: 4 zero bytes and the 64-bit counter; each direction has its own key. */
function nonce(counter: number): Uint8Array<ArrayBuffer> {
  return own(concat(new Uint8Array(4), u64(counter)));
}
