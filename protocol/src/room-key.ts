import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, equalBytes, randomBytes, utf8Encode } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { checkEpoch, checkVersion } from './fields.js';
import {
  BOX_PUBLIC_KEY_BYTES,
  BOX_SECRET_KEY_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
  type Identity,
} from './identity.js';
import { SIGNATURE_BYTES, isSmallOrderBoxKey, type PublicKeys } from './public-keys.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

/** A room key is a secretbox key: every message in one room and epoch is sealed with it. */
export const ROOM_KEY_BYTES = nacl.secretbox.keyLength; // 32
export const WRAPPED_ROOM_KEY_VERSION = 1;
const NONCE_BYTES = nacl.box.nonceLength; // 24
const BOX_BYTES = nacl.box.overheadLength + ROOM_KEY_BYTES; // 16 + 32 = 48
const EPOCH_BYTES = 4;
/** version(1) roomId(16) epoch(4) memberId(16) wrapperId(16) memberBoxPublicKey(32) nonce(24) box(48) = 157 */
const SIGNED_BYTES =
  1 + UUID_BYTES + EPOCH_BYTES + UUID_BYTES + UUID_BYTES + BOX_PUBLIC_KEY_BYTES + NONCE_BYTES + BOX_BYTES;
/** The signed part and an Ed25519 signature: 221. */
export const WRAPPED_ROOM_KEY_BYTES = SIGNED_BYTES + SIGNATURE_BYTES;

const SIGNATURE_CONTEXT = utf8Encode('OnionChat v1 room key\0');
const WHAT = 'Wrapped room key';

/** Where a wrapped room key belongs: which room and epoch, for whom, wrapped by whom (user ids). */
export interface RoomKeyContext {
  roomId: string;
  epoch: number;
  memberId: string;
  wrapperId: string;
}

interface ParsedRecord {
  context: RoomKeyContext;
  memberBoxPublicKey: Uint8Array;
  nonce: Uint8Array;
  box: Uint8Array;
  signature: Uint8Array;
}

export function newRoomKey(): Uint8Array {
  return randomBytes(ROOM_KEY_BYTES);
}

/**
 * record = version(1)=1 || roomId(16) || epoch(u32) || memberId(16) || wrapperId(16)
 *          || memberBoxPublicKey(32) || nonce(24)
 *          || box(roomKey, nonce, memberBoxPublicKey, wrapper.boxSecretKey)(48)
 *          || signature(64) by the wrapper over "OnionChat v1 room key\0" || record[0..157)
 *
 * `nonce` is only for test vectors; in normal use leave it out so a fresh
 * random nonce is drawn.
 */
export function wrapRoomKey(
  roomKey: Uint8Array,
  ctx: RoomKeyContext,
  wrapper: Identity,
  memberBoxPublicKey: Uint8Array,
  nonce: Uint8Array = randomBytes(NONCE_BYTES),
): Uint8Array {
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  requireLength(memberBoxPublicKey, BOX_PUBLIC_KEY_BYTES, "Member's box public key");
  requireLength(nonce, NONCE_BYTES, 'Room key nonce');
  requireLength(wrapper.boxSecretKey, BOX_SECRET_KEY_BYTES, "Wrapper's box secret key");
  requireLength(wrapper.signSecretKey, SIGN_SECRET_KEY_BYTES, "Wrapper's signing secret key");
  if (isSmallOrderBoxKey(memberBoxPublicKey)) {
    throw new ProtocolError('bad-key', 'Refusing to wrap a room key to a small-order (unusable) box key.');
  }
  const body = concatBytes(
    Uint8Array.of(WRAPPED_ROOM_KEY_VERSION),
    encodeContext(ctx),
    memberBoxPublicKey,
    nonce,
    nacl.box(roomKey, nonce, memberBoxPublicKey, wrapper.boxSecretKey),
  );
  return concatBytes(body, nacl.sign.detached(signedMessage(body), wrapper.signSecretKey));
}

/**
 * Parses the clear-text context without checking the signature. The server
 * uses it to verify that a record is filed under the room, epoch and member
 * it claims; clients must use openRoomKey.
 */
export function readRoomKeyContext(record: Uint8Array): RoomKeyContext {
  return parseRecord(record).context;
}

/**
 * Checks, in order: version and length; the wrapper's signature
 * ('bad-signature'); that the record names this wrapper, room, epoch and
 * member ('context-mismatch'); that it is wrapped to this client's box key
 * ('key-mismatch'); and finally decrypts ('decrypt-failed').
 */
export function openRoomKey(
  record: Uint8Array,
  expected: { roomId: string; epoch: number; memberId: string },
  me: Identity,
  wrapper: PublicKeys & { id: string },
): Uint8Array {
  const want = encodeContext({ ...expected, wrapperId: wrapper.id });
  requireLength(wrapper.signPublicKey, SIGN_PUBLIC_KEY_BYTES, "Wrapper's signing public key");
  requireLength(wrapper.boxPublicKey, BOX_PUBLIC_KEY_BYTES, "Wrapper's box public key");
  requireLength(me.boxSecretKey, BOX_SECRET_KEY_BYTES, 'Box secret key');

  const parsed = parseRecord(record);
  if (
    !nacl.sign.detached.verify(signedMessage(record.subarray(0, SIGNED_BYTES)), parsed.signature, wrapper.signPublicKey)
  ) {
    throw new ProtocolError(
      'bad-signature',
      'The room key is not validly signed by the member who supposedly wrapped it (tampered, or forged).',
    );
  }
  if (!equalBytes(encodeContext(parsed.context), want)) {
    throw new ProtocolError(
      'context-mismatch',
      'This room key belongs to another room, epoch, member or wrapper than the one it was delivered for.',
    );
  }
  if (!equalBytes(parsed.memberBoxPublicKey, me.boxPublicKey)) {
    throw new ProtocolError(
      'key-mismatch',
      'This room key was wrapped to a box key this account does not hold (a substituted or outdated key).',
    );
  }
  const roomKey = nacl.box.open(parsed.box, parsed.nonce, wrapper.boxPublicKey, me.boxSecretKey);
  if (roomKey === null) {
    throw new ProtocolError('decrypt-failed', 'The room key could not be decrypted: it was not boxed by the wrapper.');
  }
  return roomKey;
}

function parseRecord(record: Uint8Array): ParsedRecord {
  checkVersion(record, WRAPPED_ROOM_KEY_VERSION, WHAT);
  requireLength(record, WRAPPED_ROOM_KEY_BYTES, WHAT);
  const reader = new ByteReader(record, WHAT);
  reader.u8('version');
  const roomId = bytesToUuid(reader.take(UUID_BYTES, 'room id'));
  const epoch = reader.u32('epoch');
  checkEpoch(epoch, WHAT);
  const memberId = bytesToUuid(reader.take(UUID_BYTES, 'member id'));
  const wrapperId = bytesToUuid(reader.take(UUID_BYTES, 'wrapper id'));
  return {
    context: { roomId, epoch, memberId, wrapperId },
    memberBoxPublicKey: reader.take(BOX_PUBLIC_KEY_BYTES, 'member box public key'),
    nonce: reader.take(NONCE_BYTES, 'nonce'),
    box: reader.take(BOX_BYTES, 'box'),
    signature: reader.take(SIGNATURE_BYTES, 'signature'),
  };
}

/** roomId(16) || epoch(u32) || memberId(16) || wrapperId(16); validates every field. */
function encodeContext(ctx: RoomKeyContext): Uint8Array {
  checkEpoch(ctx.epoch, WHAT);
  return concatBytes(
    uuidToBytes(ctx.roomId),
    encodeU32(ctx.epoch),
    uuidToBytes(ctx.memberId),
    uuidToBytes(ctx.wrapperId),
  );
}

function signedMessage(body: Uint8Array): Uint8Array {
  return concatBytes(SIGNATURE_CONTEXT, body);
}
