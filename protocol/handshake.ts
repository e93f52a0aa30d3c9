import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { concat, equalBytes, lengthPrefixed, own, utf8 } from './bytes.js';
import { ProtocolError } from './errors.js';
import { FrameKind, PROTOCOL_VERSION } from './frames.js';

/**
 * The end-to-end handshake between the technician's browser and the customer's agent.
 *
 * Two key agreements run side by side and both feed the session keys:
 * - CPace (a balanced PAKE) over ristretto255 with the session PIN as the password: a party
 *   that does not know the PIN cannot complete it, and the exchanged values reveal nothing that
 *   allows an offline guess of the PIN;
 * - an ephemeral X25519 Diffie-Hellman through WebCrypto.
 * Keys come from HKDF-SHA-256 over both secrets, salted with the hash of the whole transcript.
 * Each side then proves it holds the keys (key confirmation), and both show a short
 * authentication string derived from the same keys. No server ever sees a secret.
 */

export type Role = 'technician' | 'customer';

const roleByte: Record<Role, number> = { technician: 1, customer: 2 };
const HELLO_LENGTH = 3 + 32 + 32;
const CPACE_DST = 'RescueBox-v1-CPace-ristretto255_XMD:SHA-512_R255MAP_RO_';
const subtle = globalThis.crypto.subtle;

/** A side's secret state between sending its HELLO and reading the peer's. */
export interface HandshakeState {
  role: Role;
  sessionId: string;
  cpaceScalar: bigint;
  dhPrivate: CryptoKey;
  hello: Uint8Array;
}

/** The keys of an established session, for one side. */
export interface SessionKeys {
  role: Role;
  send: CryptoKey;
  receive: CryptoKey;
  /** MAC keys for control frames (confirm, resume, ack): own and the peer's. */
  macOwn: CryptoKey;
  macPeer: CryptoKey;
  /** Hash of the transcript: binds every frame to this very handshake. */
  transcriptHash: Uint8Array;
  /** Short authentication string both people compare, e.g. "482 913". */
  sas: string;
}

function generator(pin: string, sessionId: string) {
  const input = concat(lengthPrefixed(utf8.encode('RescueBox/CPace/v1')), lengthPrefixed(utf8.encode(pin)), lengthPrefixed(utf8.encode(sessionId)));
  return ristretto255_hasher.hashToCurve(input, { DST: CPACE_DST });
}

function randomScalar(): bigint {
  const order = ristretto255.Point.Fn.ORDER;
  // 64 random bytes reduced mod the group order: bias below 2^-250.
  return (bytesToNumberLE(globalThis.crypto.getRandomValues(new Uint8Array(64))) % (order - 1n)) + 1n;
}

/** Starts the handshake: returns the secret state and the HELLO frame to send. */
export async function startHandshake(role: Role, sessionId: string, pin: string): Promise<HandshakeState> {
  const cpaceScalar = randomScalar();
  const cpacePublic = generator(pin, sessionId).multiply(cpaceScalar).toBytes();
  const dh = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
  const dhPublic = new Uint8Array(await subtle.exportKey('raw', dh.publicKey));
  const hello = concat(Uint8Array.of(FrameKind.Hello, PROTOCOL_VERSION, roleByte[role]), cpacePublic, dhPublic);
  return { role, sessionId, cpaceScalar, dhPrivate: dh.privateKey, hello };
}

function parseHello(frame: Uint8Array, expectedPeer: Role): { cpace: Uint8Array; dh: Uint8Array } {
  if (frame.length !== HELLO_LENGTH || frame[0] !== FrameKind.Hello) throw new ProtocolError('bad_handshake', 'Malformed HELLO.');
  if (frame[1] !== PROTOCOL_VERSION) throw new ProtocolError('bad_handshake', `Unsupported protocol version ${frame[1]}.`);
  if (frame[2] !== roleByte[expectedPeer]) throw new ProtocolError('bad_handshake', 'HELLO from the wrong role.');
  return { cpace: frame.subarray(3, 35), dh: frame.subarray(35, 67) };
}

async function hkdf(ikm: CryptoKey, salt: Uint8Array, label: string, bits: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: own(salt), info: utf8.encode(`RescueBox/v1/${label}`) }, ikm, bits));
}

const aesKey = (raw: Uint8Array<ArrayBuffer>) => subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
const macKey = (raw: Uint8Array<ArrayBuffer>) => subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

/** Reads the peer's HELLO and derives the session keys; throws ProtocolError on a bad HELLO. */
export async function finishHandshake(state: HandshakeState, peerHello: Uint8Array): Promise<SessionKeys> {
  const peerRole: Role = state.role === 'technician' ? 'customer' : 'technician';
  const peer = parseHello(peerHello, peerRole);
  let cpaceSecret: Uint8Array;
  try {
    const peerPoint = ristretto255.Point.fromBytes(peer.cpace);
    const shared = peerPoint.multiply(state.cpaceScalar);
    if (peerPoint.is0() || shared.is0()) throw new Error('identity');
    cpaceSecret = shared.toBytes();
  } catch {
    throw new ProtocolError('bad_handshake', 'Invalid CPace value in HELLO.');
  }
  let dhSecret: Uint8Array;
  try {
    const peerKey = await subtle.importKey('raw', own(peer.dh), { name: 'X25519' }, false, []);
    dhSecret = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peerKey }, state.dhPrivate, 256));
  } catch {
    throw new ProtocolError('bad_handshake', 'Invalid X25519 value in HELLO.');
  }
  if (dhSecret.every((b) => b === 0)) throw new ProtocolError('bad_handshake', 'Low-order X25519 value in HELLO.');

  const [technicianHello, customerHello] = state.role === 'technician' ? [state.hello, peerHello] : [peerHello, state.hello];
  const transcriptHash = new Uint8Array(await subtle.digest('SHA-256', own(concat(
    lengthPrefixed(utf8.encode('RescueBox/v1/transcript')), lengthPrefixed(utf8.encode(state.sessionId)), lengthPrefixed(technicianHello), lengthPrefixed(customerHello),
  ))));
  const ikm = await subtle.importKey('raw', own(concat(cpaceSecret, dhSecret)), 'HKDF', false, ['deriveBits']);
  const [t2c, c2t, tMac, cMac, sasBits] = await Promise.all([
    hkdf(ikm, transcriptHash, 'technician-to-customer', 256),
    hkdf(ikm, transcriptHash, 'customer-to-technician', 256),
    hkdf(ikm, transcriptHash, 'technician-mac', 256),
    hkdf(ikm, transcriptHash, 'customer-mac', 256),
    hkdf(ikm, transcriptHash, 'short-authentication-string', 32),
  ]);
  const isTech = state.role === 'technician';
  const sasNumber = new DataView(sasBits.buffer).getUint32(0) % 1_000_000;
  const sasDigits = sasNumber.toString().padStart(6, '0');
  return {
    role: state.role,
    send: await aesKey(isTech ? t2c : c2t),
    receive: await aesKey(isTech ? c2t : t2c),
    macOwn: await macKey(isTech ? tMac : cMac),
    macPeer: await macKey(isTech ? cMac : tMac),
    transcriptHash,
    sas: `${sasDigits.slice(0, 3)} ${sasDigits.slice(3)}`,
  };
}

/** The CONFIRM frame: proves to the peer that we derived the same keys (so: knew the PIN). */
export async function confirmFrame(keys: SessionKeys): Promise<Uint8Array> {
  const mac = new Uint8Array(await subtle.sign('HMAC', keys.macOwn, own(concat(utf8.encode('confirm'), keys.transcriptHash))));
  return concat(Uint8Array.of(FrameKind.Confirm), mac);
}

/** Checks the peer's CONFIRM; a mismatch means a different PIN or someone in between. */
export async function checkConfirm(keys: SessionKeys, frame: Uint8Array): Promise<void> {
  if (frame.length !== 33 || frame[0] !== FrameKind.Confirm) throw new ProtocolError('bad_handshake', 'Malformed CONFIRM.');
  const expected = new Uint8Array(await subtle.sign('HMAC', keys.macPeer, own(concat(utf8.encode('confirm'), keys.transcriptHash))));
  if (!equalBytes(expected, frame.subarray(1))) {
    throw new ProtocolError('pin_mismatch', 'Key confirmation failed: the PIN differs, or someone is in between.');
  }
}
