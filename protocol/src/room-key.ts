import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, equalBytes, randomBytes, utf8Encode } from './bytes.js';
import { boxKeyStep, runNative, runSync, signStep, verifyStep, type Steps } from './crypto-steps.js';
import { ProtocolError, requireLength } from './errors.js';
import { checkEpoch } from './fields.js';
import {
  KEM_CIPHERTEXT_BYTES,
  KEM_ENCAPSULATION_SEED_BYTES,
  KEM_KEY_DIGEST_BYTES,
  decapsulateWrapKey,
  encapsulateWrapKey,
  kemKeyDigest,
} from './hybrid-kem.js';
import {
  BOX_PUBLIC_KEY_BYTES,
  BOX_SECRET_KEY_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
} from './key-sizes.js';
import { type Identity } from './identity.js';
import { SIGNATURE_BYTES, isSmallOrderBoxKey } from './public-keys.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

/** A room key is a secretbox key: every message in one room and epoch is sealed with it. */
export const ROOM_KEY_BYTES = nacl.secretbox.keyLength; // 32
/** Version 1: the room key boxed with X25519 only. */
export const WRAPPED_ROOM_KEY_VERSION = 1;
/** Version 2: hybrid, X25519 and ML-KEM-768. */
export const WRAPPED_ROOM_KEY_HYBRID_VERSION = 2;
const NONCE_BYTES = nacl.box.nonceLength; // 24
const BOX_BYTES = nacl.box.overheadLength + ROOM_KEY_BYTES; // 16 + 32 = 48
const EPOCH_BYTES = 4;
const CONTEXT_BYTES = UUID_BYTES + EPOCH_BYTES + UUID_BYTES + UUID_BYTES; // 52
/** version(1) context(52) memberBoxPublicKey(32) nonce(24) box(48) = 157 */
const V1_SIGNED_BYTES = 1 + CONTEXT_BYTES + BOX_PUBLIC_KEY_BYTES + NONCE_BYTES + BOX_BYTES;
/** version(1) context(52) memberBoxPublicKey(32) memberKemKeyDigest(32) kemCiphertext(1088) nonce(24) box(48) = 1277 */
const V2_SIGNED_BYTES = V1_SIGNED_BYTES + KEM_KEY_DIGEST_BYTES + KEM_CIPHERTEXT_BYTES;
/** The signed part and an Ed25519 signature: 221. */
export const WRAPPED_ROOM_KEY_V1_BYTES = V1_SIGNED_BYTES + SIGNATURE_BYTES;
/** The version 1 length, under its older name. */
export const WRAPPED_ROOM_KEY_BYTES = WRAPPED_ROOM_KEY_V1_BYTES;
/** The signed part and an Ed25519 signature: 1341. */
export const WRAPPED_ROOM_KEY_V2_BYTES = V2_SIGNED_BYTES + SIGNATURE_BYTES;

const SIGNATURE_CONTEXTS: Record<number, Uint8Array> = {
  [WRAPPED_ROOM_KEY_VERSION]: utf8Encode('OnionChat v1 room key\0'),
  [WRAPPED_ROOM_KEY_HYBRID_VERSION]: utf8Encode('OnionChat v2 room key\0'),
};
const RECORD_BYTES: Record<number, number> = {
  [WRAPPED_ROOM_KEY_VERSION]: WRAPPED_ROOM_KEY_V1_BYTES,
  [WRAPPED_ROOM_KEY_HYBRID_VERSION]: WRAPPED_ROOM_KEY_V2_BYTES,
};
const WHAT = 'Wrapped room key';

/** Where a wrapped room key belongs: which room and epoch, for whom, wrapped by whom (user ids). */
export interface RoomKeyContext {
  roomId: string;
  epoch: number;
  memberId: string;
  wrapperId: string;
}

/** The public keys a hybrid wrap needs of the member (from their version 2 public keys record). */
export interface HybridMemberKeys {
  boxPublicKey: Uint8Array;
  kemPublicKey: Uint8Array;
}

/** Fixed randomness, only for test vectors. */
export interface HybridWrapRandomness {
  nonce: Uint8Array;
  /** The 32 bytes ML-KEM encapsulation draws. */
  kemSeed: Uint8Array;
}

/** The wrapper's keys a record is checked with; its ML-KEM key plays no part. */
export interface RoomKeyWrapper {
  id: string;
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
}

export interface OpenedRoomKey {
  roomKey: Uint8Array;
  /** A version 2 record: the key stays secret as long as X25519 or ML-KEM-768 holds. */
  hybrid: boolean;
}

interface ParsedRecord {
  version: number;
  context: RoomKeyContext;
  memberBoxPublicKey: Uint8Array;
  /** Version 2 only. */
  memberKemKeyDigest: Uint8Array | null;
  kemCiphertext: Uint8Array | null;
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
  nonce?: Uint8Array,
): Uint8Array {
  return runSync(wrapSteps(roomKey, ctx, wrapper, memberBoxPublicKey, nonce));
}

/** wrapRoomKey through the engine's native X25519 and Ed25519 where it has them. */
export function wrapRoomKeyAsync(
  roomKey: Uint8Array,
  ctx: RoomKeyContext,
  wrapper: Identity,
  memberBoxPublicKey: Uint8Array,
  nonce?: Uint8Array,
): Promise<Uint8Array> {
  return runNative(wrapSteps(roomKey, ctx, wrapper, memberBoxPublicKey, nonce));
}

function* wrapSteps(
  roomKey: Uint8Array,
  ctx: RoomKeyContext,
  wrapper: Identity,
  memberBoxPublicKey: Uint8Array,
  nonce: Uint8Array = randomBytes(NONCE_BYTES),
): Steps<Uint8Array> {
  checkWrapInputs(roomKey, wrapper, memberBoxPublicKey, nonce);
  const boxKey = yield* boxKeyStep(wrapper.boxSecretKey, memberBoxPublicKey);
  const body = concatBytes(
    Uint8Array.of(WRAPPED_ROOM_KEY_VERSION),
    encodeContext(ctx),
    memberBoxPublicKey,
    nonce,
    nacl.secretbox(roomKey, nonce, boxKey),
  );
  boxKey.fill(0);
  return yield* sign(body, wrapper);
}

/**
 * record = version(1)=2 || roomId(16) || epoch(u32) || memberId(16) || wrapperId(16)
 *          || memberBoxPublicKey(32) || memberKemKeyDigest(32) || kemCiphertext(1088)
 *          || nonce(24) || secretbox(roomKey, nonce, wrapKey)(48)
 *          || signature(64) by the wrapper over "OnionChat v2 room key\0" || record[0..1277)
 *
 * The wrap key combines X25519 and ML-KEM-768 (hybrid-kem.ts), so the room key stays
 * secret while either holds. `randomness` is only for test vectors.
 */
export function wrapRoomKeyHybrid(
  roomKey: Uint8Array,
  ctx: RoomKeyContext,
  wrapper: Identity,
  member: HybridMemberKeys,
  randomness?: HybridWrapRandomness,
): Uint8Array {
  return runSync(wrapHybridSteps(roomKey, ctx, wrapper, member, randomness));
}

/** wrapRoomKeyHybrid through the engine's native X25519 and Ed25519 where it has them (ML-KEM is JavaScript). */
export function wrapRoomKeyHybridAsync(
  roomKey: Uint8Array,
  ctx: RoomKeyContext,
  wrapper: Identity,
  member: HybridMemberKeys,
  randomness?: HybridWrapRandomness,
): Promise<Uint8Array> {
  return runNative(wrapHybridSteps(roomKey, ctx, wrapper, member, randomness));
}

function* wrapHybridSteps(
  roomKey: Uint8Array,
  ctx: RoomKeyContext,
  wrapper: Identity,
  member: HybridMemberKeys,
  randomness?: HybridWrapRandomness,
): Steps<Uint8Array> {
  const nonce = randomness?.nonce ?? randomBytes(NONCE_BYTES);
  const kemSeed = randomness?.kemSeed ?? randomBytes(KEM_ENCAPSULATION_SEED_BYTES);
  checkWrapInputs(roomKey, wrapper, member.boxPublicKey, nonce);
  const context = encodeContext(ctx);
  const { kemCiphertext, wrapKey } = yield* encapsulateWrapKey(wrapper, member, kemSeed);
  const body = concatBytes(
    Uint8Array.of(WRAPPED_ROOM_KEY_HYBRID_VERSION),
    context,
    member.boxPublicKey,
    kemKeyDigest(member.kemPublicKey),
    kemCiphertext,
    nonce,
    nacl.secretbox(roomKey, nonce, wrapKey),
  );
  wrapKey.fill(0);
  return yield* sign(body, wrapper);
}

/**
 * Parses the clear-text context of a record of either version without checking the
 * signature. The server uses it to verify that a record is filed under the room,
 * epoch and member it claims; clients must use openRoomKey.
 */
export function readRoomKeyContext(record: Uint8Array): RoomKeyContext {
  return parseRecord(record).context;
}

/**
 * Checks, in order: version and length; the wrapper's signature
 * ('bad-signature'); that the record names this wrapper, room, epoch and
 * member ('context-mismatch'); that it is wrapped to this client's box key and,
 * for version 2, to its ML-KEM key ('key-mismatch'); and finally decrypts
 * ('decrypt-failed').
 */
export function openRoomKey(
  record: Uint8Array,
  expected: { roomId: string; epoch: number; memberId: string },
  me: Identity,
  wrapper: RoomKeyWrapper,
): OpenedRoomKey {
  return runSync(openSteps(record, expected, me, wrapper));
}

/** openRoomKey through the engine's native X25519 and Ed25519 where it has them (ML-KEM is JavaScript). */
export function openRoomKeyAsync(
  record: Uint8Array,
  expected: { roomId: string; epoch: number; memberId: string },
  me: Identity,
  wrapper: RoomKeyWrapper,
): Promise<OpenedRoomKey> {
  return runNative(openSteps(record, expected, me, wrapper));
}

function* openSteps(
  record: Uint8Array,
  expected: { roomId: string; epoch: number; memberId: string },
  me: Identity,
  wrapper: RoomKeyWrapper,
): Steps<OpenedRoomKey> {
  const want = encodeContext({ ...expected, wrapperId: wrapper.id });
  requireLength(wrapper.signPublicKey, SIGN_PUBLIC_KEY_BYTES, "Wrapper's signing public key");
  requireLength(wrapper.boxPublicKey, BOX_PUBLIC_KEY_BYTES, "Wrapper's box public key");
  requireLength(me.boxSecretKey, BOX_SECRET_KEY_BYTES, 'Box secret key');

  const parsed = parseRecord(record);
  yield* checkSignature(record, parsed, wrapper.signPublicKey);
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
  const roomKey =
    parsed.version === WRAPPED_ROOM_KEY_VERSION
      ? yield* openV1(parsed, me, wrapper)
      : yield* openV2(parsed, me, wrapper);
  if (roomKey === null) {
    throw new ProtocolError('decrypt-failed', 'The room key could not be decrypted: it was not boxed by the wrapper.');
  }
  return { roomKey, hybrid: parsed.version === WRAPPED_ROOM_KEY_HYBRID_VERSION };
}

function* openV1(parsed: ParsedRecord, me: Identity, wrapper: RoomKeyWrapper): Steps<Uint8Array | null> {
  const boxKey = yield* boxKeyStep(me.boxSecretKey, wrapper.boxPublicKey);
  const roomKey = nacl.secretbox.open(parsed.box, parsed.nonce, boxKey);
  boxKey.fill(0);
  return roomKey;
}

function* openV2(parsed: ParsedRecord, me: Identity, wrapper: RoomKeyWrapper): Steps<Uint8Array | null> {
  const kem = me.kem;
  if (!kem) {
    throw new ProtocolError(
      'key-mismatch',
      'This room key was wrapped to a post-quantum (ML-KEM) key, and this account has none yet.',
    );
  }
  if (!equalBytes(parsed.memberKemKeyDigest!, kemKeyDigest(kem.publicKey))) {
    throw new ProtocolError(
      'key-mismatch',
      'This room key was wrapped to an ML-KEM key this account does not hold (a substituted or outdated key).',
    );
  }
  const wrapKey = yield* decapsulateWrapKey(
    parsed.kemCiphertext!,
    { boxPublicKey: me.boxPublicKey, boxSecretKey: me.boxSecretKey, kemSecretKey: kem.secretKey },
    wrapper.boxPublicKey,
  );
  const roomKey = nacl.secretbox.open(parsed.box, parsed.nonce, wrapKey);
  wrapKey.fill(0);
  return roomKey;
}

function checkWrapInputs(roomKey: Uint8Array, wrapper: Identity, memberBoxPublicKey: Uint8Array, nonce: Uint8Array) {
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  requireLength(memberBoxPublicKey, BOX_PUBLIC_KEY_BYTES, "Member's box public key");
  requireLength(nonce, NONCE_BYTES, 'Room key nonce');
  requireLength(wrapper.boxSecretKey, BOX_SECRET_KEY_BYTES, "Wrapper's box secret key");
  requireLength(wrapper.signSecretKey, SIGN_SECRET_KEY_BYTES, "Wrapper's signing secret key");
  if (isSmallOrderBoxKey(memberBoxPublicKey)) {
    throw new ProtocolError('bad-key', 'Refusing to wrap a room key to a small-order (unusable) box key.');
  }
}

/** Appends the wrapper's signature over the version's label and every byte before it. */
function* sign(body: Uint8Array, wrapper: Identity): Steps<Uint8Array> {
  return concatBytes(body, yield* signStep(signedMessage(body), wrapper.signSecretKey));
}

function* checkSignature(record: Uint8Array, parsed: ParsedRecord, signPublicKey: Uint8Array): Steps<void> {
  const signed = record.subarray(0, record.length - SIGNATURE_BYTES);
  if (!(yield* verifyStep(signedMessage(signed), parsed.signature, signPublicKey))) {
    throw new ProtocolError(
      'bad-signature',
      'The room key is not validly signed by the member who supposedly wrapped it (tampered, or forged).',
    );
  }
}

/**
 * The version byte comes first, so a record of an unknown version is reported as
 * 'bad-version' whatever its length; then the length that version has.
 */
function parseRecord(record: Uint8Array): ParsedRecord {
  if (!(record instanceof Uint8Array) || record.length === 0) {
    throw new ProtocolError('bad-length', `${WHAT} is empty or not a byte array.`);
  }
  const version = record[0] as number;
  const length = RECORD_BYTES[version];
  if (length === undefined) throw new ProtocolError('bad-version', `Unknown wrapped room key version ${version}.`);
  requireLength(record, length, `${WHAT} (version ${version})`);
  const reader = new ByteReader(record, WHAT);
  reader.u8('version');
  const context = readContext(reader);
  const memberBoxPublicKey = reader.take(BOX_PUBLIC_KEY_BYTES, 'member box public key');
  const hybrid = version === WRAPPED_ROOM_KEY_HYBRID_VERSION;
  return {
    version,
    context,
    memberBoxPublicKey,
    memberKemKeyDigest: hybrid ? reader.take(KEM_KEY_DIGEST_BYTES, 'member ML-KEM key digest') : null,
    kemCiphertext: hybrid ? reader.take(KEM_CIPHERTEXT_BYTES, 'ML-KEM ciphertext') : null,
    nonce: reader.take(NONCE_BYTES, 'nonce'),
    box: reader.take(BOX_BYTES, 'box'),
    signature: reader.take(SIGNATURE_BYTES, 'signature'),
  };
}

function readContext(reader: ByteReader): RoomKeyContext {
  const roomId = bytesToUuid(reader.take(UUID_BYTES, 'room id'));
  const epoch = reader.u32('epoch');
  checkEpoch(epoch, WHAT);
  const memberId = bytesToUuid(reader.take(UUID_BYTES, 'member id'));
  const wrapperId = bytesToUuid(reader.take(UUID_BYTES, 'wrapper id'));
  return { roomId, epoch, memberId, wrapperId };
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

/** The label of the record's version, then the signed bytes. */
function signedMessage(body: Uint8Array): Uint8Array {
  return concatBytes(SIGNATURE_CONTEXTS[body[0] as number]!, body);
}
