import { z } from 'zod';
import { concat, fromUtf8, readU32, u32, utf8 } from './bytes.js';
import { ProtocolError } from './errors.js';
import { screenMessageSchemas } from './screen-messages.js';

/**
 * The messages inside the encrypted channel. Each is a JSON header (validated by the schema of
 * its type) optionally followed by raw bytes (file chunks, screen tiles). Encoding:
 * u32 header length ‖ UTF-8 JSON header ‖ payload bytes.
 */

const id = z.string().min(1).max(64);
export const capabilities = ['diagnostics', 'file.send', 'file.receive', 'screen.view', 'screen.control'] as const;
export type Capability = (typeof capabilities)[number];

export const messageSchemas = {
  chat: z.object({ type: z.literal('chat'), id, text: z.string().min(1).max(4000), at: z.number() }),
  'consent.request': z.object({
    type: z.literal('consent.request'), requestId: id, capability: z.enum(capabilities),
    /** The broker's signed grant: proves the technician's groups allow this capability. */
    grant: z.string().max(2000),
    detail: z.object({ name: z.string().max(255).optional(), size: z.number().int().min(0).optional() }).strict().optional(),
  }),
  'consent.response': z.object({ type: z.literal('consent.response'), requestId: id, granted: z.boolean() }),
  'diagnostics.report': z.object({ type: z.literal('diagnostics.report'), requestId: id, report: z.record(z.string(), z.unknown()) }),
  'file.offer': z.object({
    type: z.literal('file.offer'), transferId: id, name: z.string().min(1).max(255), size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/), requestId: id.optional(),
  }),
  'file.accept': z.object({ type: z.literal('file.accept'), transferId: id }),
  'file.chunk': z.object({ type: z.literal('file.chunk'), transferId: id, offset: z.number().int().min(0) }),
  'file.done': z.object({ type: z.literal('file.done'), transferId: id }),
  'file.abort': z.object({ type: z.literal('file.abort'), transferId: id, reason: z.string().max(200) }),
  'file.received': z.object({ type: z.literal('file.received'), transferId: id, ok: z.boolean(), reason: z.string().max(200).optional() }),
  'session.end': z.object({ type: z.literal('session.end'), reason: z.string().max(200) }),
  'capability.stop': z.object({ type: z.literal('capability.stop'), capability: z.enum(capabilities) }),
  /** Unattended sessions: the technician presents the device's OS credentials (checked on the device, end to end only). */
  'unattended.auth': z.object({ type: z.literal('unattended.auth'), user: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
  /** The device's answer; nothing is shared before `ok: true`. */
  'unattended.auth.result': z.object({ type: z.literal('unattended.auth.result'), ok: z.boolean(), reason: z.enum(['accepted', 'rejected', 'locked', 'bad_user']), attemptsLeft: z.number().int().min(0).max(10) }),
  ...screenMessageSchemas,
} as const;

export type MessageType = keyof typeof messageSchemas;
export type Message<T extends MessageType = MessageType> = z.output<(typeof messageSchemas)[T]>;

const anyMessage = z.discriminatedUnion('type', Object.values(messageSchemas) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...z.ZodObject<{ type: z.ZodLiteral<string> }>[]]);

/** Encodes a message and optional payload into channel plaintext. */
export function encodeMessage(message: Message, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const header = utf8.encode(JSON.stringify(message));
  return concat(u32(header.length), header, payload);
}

/** Decodes and validates channel plaintext; anything unexpected is a ProtocolError. */
export function decodeMessage(bytes: Uint8Array): { message: Message; payload: Uint8Array } {
  if (bytes.length < 4) throw new ProtocolError('message_invalid', 'Message too short.');
  const length = readU32(bytes, 0);
  if (length > bytes.length - 4 || length > 64 * 1024) throw new ProtocolError('message_invalid', 'Bad header length.');
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8.decode(bytes.subarray(4, 4 + length)));
  } catch {
    throw new ProtocolError('message_invalid', 'Header is not JSON.');
  }
  const parsed = anyMessage.safeParse(json);
  if (!parsed.success) throw new ProtocolError('message_invalid', `Invalid message: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return { message: parsed.data as Message, payload: bytes.subarray(4 + length) };
}
