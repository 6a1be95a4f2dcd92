import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, encodeU64, randomBytes, utf8Encode } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { checkEpoch, checkVersion } from './fields.js';
import { SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES, type Identity } from './identity.js';
import { decodeMessageBody, encodeMessageBody, type MessageBody } from './message-body.js';
import { MESSAGE_MAX_PADDED_BYTES, MESSAGE_MIN_PADDED_BYTES, pad, unpad } from './padding.js';
import { SIGNATURE_BYTES, type PublicKeys } from './public-keys.js';
import { ROOM_KEY_BYTES } from './room-key.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

export const MESSAGE_VERSION = 1;
/** version(1) roomId(16) epoch(4) senderId(16) messageId(16) sentAt(8) = 61 */
export const MESSAGE_HEADER_BYTES = 1 + UUID_BYTES + 4 + UUID_BYTES + UUID_BYTES + 8;
const NONCE_BYTES = nacl.secretbox.nonceLength; // 24
const MAC_BYTES = nacl.secretbox.overheadLength; // 16
/** Everything in an envelope except the padded content: 61 + 24 + 16 + 64 = 165. */
const ENVELOPE_OVERHEAD_BYTES = MESSAGE_HEADER_BYTES + NONCE_BYTES + MAC_BYTES + SIGNATURE_BYTES;
/** 421 */
export const MESSAGE_MIN_ENVELOPE_BYTES = ENVELOPE_OVERHEAD_BYTES + MESSAGE_MIN_PADDED_BYTES;
/** 65701 */
export const MESSAGE_MAX_ENVELOPE_BYTES = ENVELOPE_OVERHEAD_BYTES + MESSAGE_MAX_PADDED_BYTES;

const SIGNATURE_CONTEXT = utf8Encode('OnionChat v1 message\0');
const WHAT = 'Message envelope';

/** The clear-text part of an envelope. Ids are canonical UUIDs; sentAt is milliseconds since 1970 (UTC). */
export interface MessageHeader {
  roomId: string;
  epoch: number;
  senderId: string;
  messageId: string;
  sentAt: number;
}

/**
 * envelope = header(61) || nonce(24) || secretbox(inner, nonce, roomKey)
 * inner    = signature(64) || padded
 * signature: Ed25519 by the sender over "OnionChat v1 message\0" || header || padded
 *
 * `nonce` is only for test vectors; in normal use leave it out so a fresh
 * random nonce is drawn.
 */
export function sealMessage(
  header: MessageHeader,
  body: MessageBody,
  roomKey: Uint8Array,
  sender: Identity,
  nonce: Uint8Array = randomBytes(NONCE_BYTES),
): Uint8Array {
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  requireLength(nonce, NONCE_BYTES, 'Message nonce');
  requireLength(sender.signSecretKey, SIGN_SECRET_KEY_BYTES, "Sender's signing secret key");
  const headerBytes = encodeHeader(header);
  const padded = pad(encodeMessageBody(body));
  const signature = nacl.sign.detached(signedMessage(headerBytes, padded), sender.signSecretKey);
  const inner = concatBytes(signature, padded);
  const envelope = concatBytes(headerBytes, nonce, nacl.secretbox(inner, nonce, roomKey));
  inner.fill(0);
  padded.fill(0);
  return envelope;
}

/**
 * Parses the header without decrypting anything; checks the version, that
 * the envelope length is within bounds and that the fields are well formed.
 * The server uses it to check an envelope matches the room, epoch and sender
 * it is posted under.
 */
export function readMessageHeader(envelope: Uint8Array): MessageHeader {
  checkVersion(envelope, MESSAGE_VERSION, WHAT);
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
  const sentAt = reader.u64('sent at');
  return { roomId, epoch, senderId, messageId, sentAt };
}

/**
 * Checks, in order: version and length; that the header names the room,
 * epoch and sender the client expected ('context-mismatch'); decryption
 * with the room key ('decrypt-failed'); the sender's signature over header
 * and padded content ('bad-signature'); the padding ('bad-padding'); the
 * content ('bad-content'). Replays are caught separately (MessageLedger).
 */
export function openMessage(
  envelope: Uint8Array,
  expected: { roomId: string; epoch: number; senderId: string },
  roomKey: Uint8Array,
  sender: PublicKeys,
): { header: MessageHeader; body: MessageBody } {
  uuidToBytes(expected.roomId);
  uuidToBytes(expected.senderId);
  checkEpoch(expected.epoch, 'Expected message context');
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  requireLength(sender.signPublicKey, SIGN_PUBLIC_KEY_BYTES, "Sender's signing public key");

  const header = readMessageHeader(envelope);
  checkContext(header, expected);
  const nonce = envelope.subarray(MESSAGE_HEADER_BYTES, MESSAGE_HEADER_BYTES + NONCE_BYTES);
  const inner = nacl.secretbox.open(envelope.subarray(MESSAGE_HEADER_BYTES + NONCE_BYTES), nonce, roomKey);
  if (inner === null) {
    throw new ProtocolError(
      'decrypt-failed',
      'The message could not be decrypted with this room key: it was altered, or sealed for another room or epoch.',
    );
  }
  const signature = inner.subarray(0, SIGNATURE_BYTES);
  const padded = inner.subarray(SIGNATURE_BYTES);
  const message = signedMessage(envelope.subarray(0, MESSAGE_HEADER_BYTES), padded);
  if (!nacl.sign.detached.verify(message, signature, sender.signPublicKey)) {
    throw new ProtocolError(
      'bad-signature',
      'The message is not validly signed by its sender for this header (altered, moved, or forged by another member).',
    );
  }
  const body = decodeMessageBody(unpad(padded));
  return { header, body };
}

/** version(1)=1 || roomId(16) || epoch(u32) || senderId(16) || messageId(16) || sentAt(u64); validates every field. */
function encodeHeader(header: MessageHeader): Uint8Array {
  checkEpoch(header.epoch, 'Message header');
  return concatBytes(
    Uint8Array.of(MESSAGE_VERSION),
    uuidToBytes(header.roomId),
    encodeU32(header.epoch),
    uuidToBytes(header.senderId),
    uuidToBytes(header.messageId),
    encodeU64(header.sentAt),
  );
}

function checkContext(header: MessageHeader, expected: { roomId: string; epoch: number; senderId: string }): void {
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

function signedMessage(header: Uint8Array, padded: Uint8Array): Uint8Array {
  return concatBytes(SIGNATURE_CONTEXT, header, padded);
}
