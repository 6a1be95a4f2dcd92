import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, decodeU64, encodeU32, encodeU64, randomBytes, utf8Encode } from './bytes.js';
import { runNative, runSync, signStep, verifyStep, type Steps } from './crypto-steps.js';
import { ProtocolError, requireLength } from './errors.js';
import { checkEpoch } from './fields.js';
import { SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './key-sizes.js';
import { type Identity } from './identity.js';
import { decodeMessageBody, encodeMessageBody, type MessageBody } from './message-body.js';
import { MESSAGE_MAX_PADDED_BYTES, MESSAGE_MIN_PADDED_BYTES, pad, unpad } from './padding.js';
import { SIGNATURE_BYTES } from './public-keys.js';
import { ROOM_KEY_BYTES } from './room-key.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

/** The version sealMessage writes. */
export const MESSAGE_VERSION = 2;
/** The version of clients that put the send time in the clear header; still read. */
export const MESSAGE_VERSION_V1 = 1;
const SENT_AT_BYTES = 8;
/** version(1) roomId(16) epoch(4) senderId(16) messageId(16) sentAt(8) = 61 */
export const MESSAGE_HEADER_V1_BYTES = 1 + UUID_BYTES + 4 + UUID_BYTES + UUID_BYTES + SENT_AT_BYTES;
/** version(1) roomId(16) epoch(4) senderId(16) messageId(16) = 53: the send time moved inside the box. */
export const MESSAGE_HEADER_V2_BYTES = 1 + UUID_BYTES + 4 + UUID_BYTES + UUID_BYTES;
const NONCE_BYTES = nacl.secretbox.nonceLength; // 24
const MAC_BYTES = nacl.secretbox.overheadLength; // 16
/**
 * Everything in an envelope except the padded content, the same in both versions:
 * v1 61 + 24 + 16 + 64 = 165; v2 53 + 24 + 16 + 64 + 8 = 165.
 */
const ENVELOPE_OVERHEAD_BYTES = MESSAGE_HEADER_V1_BYTES + NONCE_BYTES + MAC_BYTES + SIGNATURE_BYTES;
/** 421 */
export const MESSAGE_MIN_ENVELOPE_BYTES = ENVELOPE_OVERHEAD_BYTES + MESSAGE_MIN_PADDED_BYTES;
/** 65701 */
export const MESSAGE_MAX_ENVELOPE_BYTES = ENVELOPE_OVERHEAD_BYTES + MESSAGE_MAX_PADDED_BYTES;

const SIGNATURE_CONTEXT_V1 = utf8Encode('OnionChat v1 message\0');
const SIGNATURE_CONTEXT_V2 = utf8Encode('OnionChat v2 message\0');
const WHAT = 'Message envelope';

export type MessageVersion = typeof MESSAGE_VERSION_V1 | typeof MESSAGE_VERSION;

/**
 * A message's header as its sender wrote and signed it. Ids are canonical UUIDs;
 * sentAt is milliseconds since 1970 (UTC) by the sender's clock.
 */
export interface MessageHeader {
  roomId: string;
  epoch: number;
  senderId: string;
  messageId: string;
  sentAt: number;
}

/**
 * What anyone can read of an envelope without the room key. Only version 1 has the
 * send time in the clear (null for version 2), and nothing here is authenticated
 * until the message is opened.
 */
export interface EnvelopeHeader extends Omit<MessageHeader, 'sentAt'> {
  version: MessageVersion;
  sentAt: number | null;
}

export interface OpenedMessage {
  version: MessageVersion;
  /** Every field checked against the sender's signature, sentAt included. */
  header: MessageHeader;
  body: MessageBody;
}

/**
 * Version 2:
 * envelope = header(53) || nonce(24) || secretbox(inner, nonce, roomKey)
 * inner    = signature(64) || sentAt(u64) || padded
 * signature: Ed25519 by the sender over "OnionChat v2 message\0" || header || sentAt || padded
 *
 * The send time is inside the box so the server cannot read it, and signed so it
 * cannot change it. `nonce` is only for test vectors; in normal use leave it out
 * so a fresh random nonce is drawn.
 */
export function sealMessage(
  header: MessageHeader,
  body: MessageBody,
  roomKey: Uint8Array,
  sender: Identity,
  nonce?: Uint8Array,
): Uint8Array {
  return runSync(sealSteps(header, body, roomKey, sender, nonce));
}

/** sealMessage, signing through the engine's native Ed25519 where it has one. */
export function sealMessageAsync(
  header: MessageHeader,
  body: MessageBody,
  roomKey: Uint8Array,
  sender: Identity,
  nonce?: Uint8Array,
): Promise<Uint8Array> {
  return runNative(sealSteps(header, body, roomKey, sender, nonce));
}

function* sealSteps(
  header: MessageHeader,
  body: MessageBody,
  roomKey: Uint8Array,
  sender: Identity,
  nonce: Uint8Array = randomBytes(NONCE_BYTES),
): Steps<Uint8Array> {
  checkSealInputs(roomKey, nonce, sender);
  const headerBytes = encodeHeader(header, MESSAGE_VERSION);
  const sentAt = encodeU64(header.sentAt);
  const padded = pad(encodeMessageBody(body));
  const signed = concatBytes(SIGNATURE_CONTEXT_V2, headerBytes, sentAt, padded);
  const signature = yield* signStep(signed, sender.signSecretKey);
  return sealInner(headerBytes, concatBytes(signature, sentAt, padded), nonce, roomKey, [padded, signed]);
}

/**
 * Version 1, as clients before the signed-inside send time wrote it (the send time
 * in the clear header). Only for tests and vectors of what older clients still send.
 * envelope = header(61) || nonce(24) || secretbox(signature(64) || padded, nonce, roomKey)
 * signature over "OnionChat v1 message\0" || header || padded
 */
export function sealMessageV1(
  header: MessageHeader,
  body: MessageBody,
  roomKey: Uint8Array,
  sender: Identity,
  nonce: Uint8Array = randomBytes(NONCE_BYTES),
): Uint8Array {
  checkSealInputs(roomKey, nonce, sender);
  const headerBytes = encodeHeader(header, MESSAGE_VERSION_V1);
  const padded = pad(encodeMessageBody(body));
  const signed = concatBytes(SIGNATURE_CONTEXT_V1, headerBytes, padded);
  const signature = runSync(signStep(signed, sender.signSecretKey));
  return sealInner(headerBytes, concatBytes(signature, padded), nonce, roomKey, [padded, signed]);
}

/**
 * Parses the clear header of either version without decrypting anything; checks
 * the version, that the envelope length is within bounds and that the fields are
 * well formed. The server uses it to check an envelope matches the room, epoch
 * and sender it is posted under.
 */
export function readMessageHeader(envelope: Uint8Array): EnvelopeHeader {
  const version = readVersion(envelope);
  if (envelope.length < MESSAGE_MIN_ENVELOPE_BYTES || envelope.length > MESSAGE_MAX_ENVELOPE_BYTES) {
    throw new ProtocolError(
      'bad-length',
      `${WHAT} must be ${MESSAGE_MIN_ENVELOPE_BYTES} to ${MESSAGE_MAX_ENVELOPE_BYTES} bytes long, got ${envelope.length}.`,
    );
  }
  const reader = new ByteReader(envelope, WHAT);
  reader.u8('version');
  const roomId = bytesToUuid(reader.take(UUID_BYTES, 'room id'));
  const epoch = reader.u32('epoch');
  checkEpoch(epoch, WHAT);
  const senderId = bytesToUuid(reader.take(UUID_BYTES, 'sender id'));
  const messageId = bytesToUuid(reader.take(UUID_BYTES, 'message id'));
  const sentAt = version === MESSAGE_VERSION_V1 ? reader.u64('sent at') : null;
  return { version, roomId, epoch, senderId, messageId, sentAt };
}

/**
 * Checks, in order: version and length; that the header names the room,
 * epoch and sender the client expected ('context-mismatch'); decryption
 * with the room key ('decrypt-failed'); the sender's signature over header,
 * send time and padded content ('bad-signature'); for version 2 the send
 * time's range ('bad-encoding'); the padding ('bad-padding'); the content
 * ('bad-content'). Replays are caught separately (MessageLedger, chain marks).
 */
export function openMessage(
  envelope: Uint8Array,
  expected: { roomId: string; epoch: number; senderId: string },
  roomKey: Uint8Array,
  sender: { signPublicKey: Uint8Array },
): OpenedMessage {
  return runSync(openSteps(envelope, expected, roomKey, sender));
}

/** openMessage, checking the signature through the engine's native Ed25519 where it has one. */
export function openMessageAsync(
  envelope: Uint8Array,
  expected: { roomId: string; epoch: number; senderId: string },
  roomKey: Uint8Array,
  sender: { signPublicKey: Uint8Array },
): Promise<OpenedMessage> {
  return runNative(openSteps(envelope, expected, roomKey, sender));
}

function* openSteps(
  envelope: Uint8Array,
  expected: { roomId: string; epoch: number; senderId: string },
  roomKey: Uint8Array,
  sender: { signPublicKey: Uint8Array },
): Steps<OpenedMessage> {
  uuidToBytes(expected.roomId);
  uuidToBytes(expected.senderId);
  checkEpoch(expected.epoch, 'Expected message context');
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  requireLength(sender.signPublicKey, SIGN_PUBLIC_KEY_BYTES, "Sender's signing public key");

  const clear = readMessageHeader(envelope);
  checkContext(clear, expected);
  const headerLength = clear.version === MESSAGE_VERSION_V1 ? MESSAGE_HEADER_V1_BYTES : MESSAGE_HEADER_V2_BYTES;
  const headerBytes = envelope.subarray(0, headerLength);
  const nonce = envelope.subarray(headerLength, headerLength + NONCE_BYTES);
  const inner = nacl.secretbox.open(envelope.subarray(headerLength + NONCE_BYTES), nonce, roomKey);
  if (inner === null) {
    throw new ProtocolError(
      'decrypt-failed',
      'The message could not be decrypted with this room key: it was altered, or sealed for another room or epoch.',
    );
  }
  const signature = inner.subarray(0, SIGNATURE_BYTES);
  const signedInner = inner.subarray(SIGNATURE_BYTES);
  const context = clear.version === MESSAGE_VERSION_V1 ? SIGNATURE_CONTEXT_V1 : SIGNATURE_CONTEXT_V2;
  if (!(yield* verifyStep(concatBytes(context, headerBytes, signedInner), signature, sender.signPublicKey))) {
    throw new ProtocolError(
      'bad-signature',
      'The message is not validly signed by its sender for this header (altered, moved, or forged by another member).',
    );
  }
  const sentAt = clear.sentAt ?? decodeU64(signedInner, 0);
  const padded = clear.version === MESSAGE_VERSION_V1 ? signedInner : signedInner.subarray(SENT_AT_BYTES);
  const body = decodeMessageBody(unpad(padded));
  const { version, roomId, epoch, senderId, messageId } = clear;
  return { version, header: { roomId, epoch, senderId, messageId, sentAt }, body };
}

function checkSealInputs(roomKey: Uint8Array, nonce: Uint8Array, sender: Identity): void {
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  requireLength(nonce, NONCE_BYTES, 'Message nonce');
  requireLength(sender.signSecretKey, SIGN_SECRET_KEY_BYTES, "Sender's signing secret key");
}

/** header || nonce || secretbox(inner); wipes the inner part and the other plaintext copies. */
function sealInner(
  headerBytes: Uint8Array,
  inner: Uint8Array,
  nonce: Uint8Array,
  roomKey: Uint8Array,
  plaintexts: Uint8Array[],
): Uint8Array {
  const envelope = concatBytes(headerBytes, nonce, nacl.secretbox(inner, nonce, roomKey));
  inner.fill(0);
  for (const plaintext of plaintexts) plaintext.fill(0);
  return envelope;
}

/** Version 1 or 2, checked before anything else so an unknown version is 'bad-version' whatever its length. */
function readVersion(envelope: Uint8Array): MessageVersion {
  if (!(envelope instanceof Uint8Array) || envelope.length === 0) {
    throw new ProtocolError('bad-length', `${WHAT} is empty or not a byte array.`);
  }
  const version = envelope[0];
  if (version !== MESSAGE_VERSION_V1 && version !== MESSAGE_VERSION) {
    throw new ProtocolError('bad-version', `Unknown ${WHAT.toLowerCase()} version ${version}.`);
  }
  return version;
}

/**
 * version(1) || roomId(16) || epoch(u32) || senderId(16) || messageId(16), and for
 * version 1 sentAt(u64); validates every field (the send time of version 2 too).
 */
function encodeHeader(header: MessageHeader, version: MessageVersion): Uint8Array {
  checkEpoch(header.epoch, 'Message header');
  const sentAt = encodeU64(header.sentAt);
  return concatBytes(
    Uint8Array.of(version),
    uuidToBytes(header.roomId),
    encodeU32(header.epoch),
    uuidToBytes(header.senderId),
    uuidToBytes(header.messageId),
    version === MESSAGE_VERSION_V1 ? sentAt : new Uint8Array(0),
  );
}

function checkContext(header: EnvelopeHeader, expected: { roomId: string; epoch: number; senderId: string }): void {
  const wrong: string[] = [];
  if (header.roomId !== expected.roomId) wrong.push('room');
  if (header.epoch !== expected.epoch) wrong.push('epoch');
  if (header.senderId !== expected.senderId) wrong.push('sender');
  if (wrong.length > 0) {
    throw new ProtocolError(
      'context-mismatch',
      `The message header names another ${wrong.join(', ')} than the one it was delivered under.`,
    );
  }
}
