import { ByteReader } from './byte-reader.js';
import { concatBytes, equalBytes, fromHex, utf8Encode } from './bytes.js';
import { runNative, runSync, signStep, verifyStep, type Steps } from './crypto-steps.js';
import { ProtocolError, requireLength } from './errors.js';
import {
  BOX_PUBLIC_KEY_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
  SIGN_SEED_BYTES,
} from './key-sizes.js';
import { type Identity } from './identity.js';
import { encodeUsernameField } from './username.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

export const PUBLIC_KEYS_V1 = 1;
export const PUBLIC_KEYS_V2 = 2;
/** The version new records are written with. */
export const PUBLIC_KEYS_VERSION = PUBLIC_KEYS_V2;
export const SIGNATURE_BYTES = 64;
/** The signed part of v1: version(1) signPublicKey(32) boxPublicKey(32). */
const V1_SIGNED_BYTES = 1 + SIGN_PUBLIC_KEY_BYTES + BOX_PUBLIC_KEY_BYTES;
/** version(1) signPublicKey(32) boxPublicKey(32) signature(64) = 129 */
export const PUBLIC_KEYS_V1_BYTES = V1_SIGNED_BYTES + SIGNATURE_BYTES;
/** The v1 length, under its older name. */
export const PUBLIC_KEYS_BYTES = PUBLIC_KEYS_V1_BYTES;
/** The signed part of v2: version(1) userId(16) signPublicKey(32) boxPublicKey(32) kemPublicKey(1184). */
const V2_SIGNED_BYTES = 1 + UUID_BYTES + SIGN_PUBLIC_KEY_BYTES + BOX_PUBLIC_KEY_BYTES + KEM_PUBLIC_KEY_BYTES;
/** The v2 signed part and signature(64) = 1329 */
export const PUBLIC_KEYS_V2_BYTES = V2_SIGNED_BYTES + SIGNATURE_BYTES;

const V1_CONTEXT = utf8Encode('OnionChat v1 public keys\0');
const V2_CONTEXT = utf8Encode('OnionChat v2 public keys\0');

/** ML-KEM-768: k = 3 polynomials of 256 coefficients, 12 bits each, then the 32-byte seed rho. */
const KEM_MODULUS = 3329;
const KEM_ENCODED_POLYNOMIALS_BYTES = 3 * 384;

/**
 * X25519 public keys of small order (and their non-canonical encodings).
 * A box "encrypted" to one of them uses an all-zero (or otherwise
 * predictable) shared key, so such a key is never accepted as someone's
 * identity. Compared with bit 255 cleared, as X25519 ignores that bit.
 */
const SMALL_ORDER_BOX_KEYS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(fromHex);
const LAST_BYTE_MASK = 0x7f;

/** The two classical identity keys: what fingerprints, signatures and room key wraps need. */
export interface IdentityKeys {
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
}

/** What others need to talk to a user: verified with the username (and, from v2, the user id) it was signed for. */
export interface PublicKeys extends IdentityKeys {
  version: 1 | 2;
  /** Null in a v1 record: that user's conversations stay classical until they publish v2. */
  kemPublicKey: Uint8Array | null;
}

/**
 * version(1)=2 || userId(16) || signPublicKey(32) || boxPublicKey(32)
 * || kemPublicKey(1184) || signature(64). The signature also covers the
 * username, and the record names the account id, so the server can present
 * neither Alice's record as Bob's nor an old "bob" record for a new account
 * that took the name.
 */
export function encodePublicKeys(identity: Identity, userId: string): Uint8Array {
  return runSync(encodeSteps(identity, userId));
}

/** encodePublicKeys, signing through the engine's native Ed25519 where it has one. */
export function encodePublicKeysAsync(identity: Identity, userId: string): Promise<Uint8Array> {
  return runNative(encodeSteps(identity, userId));
}

function* encodeSteps(identity: Identity, userId: string): Steps<Uint8Array> {
  checkSigningKeys(identity);
  if (identity.kem === null) {
    throw new ProtocolError('bad-key', 'This identity has no ML-KEM keys; add them before publishing a v2 record.');
  }
  requireLength(identity.kem.publicKey, KEM_PUBLIC_KEY_BYTES, 'ML-KEM public key');
  const body = concatBytes(
    Uint8Array.of(PUBLIC_KEYS_V2),
    uuidToBytes(userId),
    identity.signPublicKey,
    identity.boxPublicKey,
    identity.kem.publicKey,
  );
  return concatBytes(body, yield* sign(V2_CONTEXT, identity, body));
}

/** version(1)=1 || signPublicKey(32) || boxPublicKey(32) || signature(64): the record of accounts created before v2. */
export function encodePublicKeysV1(identity: Identity): Uint8Array {
  checkSigningKeys(identity);
  const body = concatBytes(Uint8Array.of(PUBLIC_KEYS_V1), identity.signPublicKey, identity.boxPublicKey);
  return concatBytes(body, runSync(sign(V1_CONTEXT, identity, body)));
}

/**
 * Reads a v1 or v2 record published for `username` under the account id
 * `userId`. The signature is checked first, then the id, then the keys.
 */
export function decodePublicKeys(bytes: Uint8Array, username: string, userId: string): PublicKeys {
  return runSync(decodeSteps(bytes, username, userId));
}

/** decodePublicKeys, checking the signature through the engine's native Ed25519 where it has one. */
export function decodePublicKeysAsync(bytes: Uint8Array, username: string, userId: string): Promise<PublicKeys> {
  return runNative(decodeSteps(bytes, username, userId));
}

function* decodeSteps(bytes: Uint8Array, username: string, userId: string): Steps<PublicKeys> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ProtocolError('bad-length', 'A public keys record cannot be empty.');
  }
  const expectedId = uuidToBytes(userId);
  const version = bytes[0];
  if (version === PUBLIC_KEYS_V1) return yield* decodeV1(bytes, username);
  if (version === PUBLIC_KEYS_V2) return yield* decodeV2(bytes, username, expectedId);
  throw new ProtocolError('bad-version', `Unknown public keys record version ${version}.`);
}

function* decodeV1(bytes: Uint8Array, username: string): Steps<PublicKeys> {
  requireLength(bytes, PUBLIC_KEYS_V1_BYTES, 'Public keys record (v1)');
  const reader = new ByteReader(bytes, 'Public keys record');
  reader.u8('version');
  const signPublicKey = reader.take(SIGN_PUBLIC_KEY_BYTES, 'signing public key');
  const boxPublicKey = reader.take(BOX_PUBLIC_KEY_BYTES, 'box public key');
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  yield* verifySignature(V1_CONTEXT, username, bytes.subarray(0, V1_SIGNED_BYTES), signature, signPublicKey);
  checkBoxKey(boxPublicKey);
  return { version: PUBLIC_KEYS_V1, signPublicKey, boxPublicKey, kemPublicKey: null };
}

function* decodeV2(bytes: Uint8Array, username: string, expectedId: Uint8Array): Steps<PublicKeys> {
  requireLength(bytes, PUBLIC_KEYS_V2_BYTES, 'Public keys record (v2)');
  const reader = new ByteReader(bytes, 'Public keys record');
  reader.u8('version');
  const userId = reader.take(UUID_BYTES, 'user id');
  const signPublicKey = reader.take(SIGN_PUBLIC_KEY_BYTES, 'signing public key');
  const boxPublicKey = reader.take(BOX_PUBLIC_KEY_BYTES, 'box public key');
  const kemPublicKey = reader.take(KEM_PUBLIC_KEY_BYTES, 'ML-KEM public key');
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  yield* verifySignature(V2_CONTEXT, username, bytes.subarray(0, V2_SIGNED_BYTES), signature, signPublicKey);
  if (!equalBytes(userId, expectedId)) {
    throw new ProtocolError(
      'context-mismatch',
      `The public keys record was published by account ${bytesToUuid(userId)}, not by ${bytesToUuid(expectedId)}.`,
    );
  }
  checkBoxKey(boxPublicKey);
  if (!isValidKemPublicKey(kemPublicKey)) {
    throw new ProtocolError('bad-key', 'The public keys record contains an invalid ML-KEM public key.');
  }
  return { version: PUBLIC_KEYS_V2, signPublicKey, boxPublicKey, kemPublicKey };
}

function checkSigningKeys(identity: Identity): void {
  requireLength(identity.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  requireLength(identity.boxPublicKey, BOX_PUBLIC_KEY_BYTES, 'Box public key');
  requireLength(identity.signSecretKey, SIGN_SECRET_KEY_BYTES, 'Signing secret key');
  if (!equalBytes(identity.signSecretKey.subarray(SIGN_SEED_BYTES), identity.signPublicKey)) {
    throw new ProtocolError('key-mismatch', 'The signing secret key does not match the signing public key.');
  }
}

/** context || u8 len(username) || username || body */
function sign(context: Uint8Array, identity: Identity, body: Uint8Array): Steps<Uint8Array> {
  return signStep(concatBytes(context, encodeUsernameField(identity.username), body), identity.signSecretKey);
}

function* verifySignature(
  context: Uint8Array,
  username: string,
  body: Uint8Array,
  signature: Uint8Array,
  signPublicKey: Uint8Array,
): Steps<void> {
  const message = concatBytes(context, encodeUsernameField(username), body);
  if (!(yield* verifyStep(message, signature, signPublicKey))) {
    throw new ProtocolError(
      'bad-signature',
      `The public keys record is not validly signed for "${username}" (tampered, or it belongs to someone else).`,
    );
  }
}

function checkBoxKey(boxPublicKey: Uint8Array): void {
  if (isSmallOrderBoxKey(boxPublicKey)) {
    throw new ProtocolError('bad-key', 'The public keys record contains an unusable (small-order) box key.');
  }
}

/** True for the small-order X25519 keys listed above (a box to one has a predictable shared key). */
export function isSmallOrderBoxKey(key: Uint8Array): boolean {
  const masked = key.slice();
  masked[masked.length - 1] = (masked[masked.length - 1] as number) & LAST_BYTE_MASK;
  let found = false;
  for (const bad of SMALL_ORDER_BOX_KEYS) found = equalBytes(masked, bad) || found;
  return found;
}

/**
 * FIPS 203's encapsulation key check (section 7.2): ByteEncode12(ByteDecode12(key))
 * must give the key back, that is every 12-bit coefficient is below q = 3329.
 * A key that fails is not one any honest key generation produces, and
 * implementations differ on what they do with it, so it is refused before use.
 */
export function isValidKemPublicKey(key: Uint8Array): boolean {
  if (!(key instanceof Uint8Array) || key.length !== KEM_PUBLIC_KEY_BYTES) return false;
  let valid = true;
  for (let i = 0; i < KEM_ENCODED_POLYNOMIALS_BYTES; i += 3) {
    const [b0, b1, b2] = [key[i] as number, key[i + 1] as number, key[i + 2] as number];
    const low = b0 | ((b1 & 0x0f) << 8);
    const high = (b1 >> 4) | (b2 << 4);
    valid = valid && low < KEM_MODULUS && high < KEM_MODULUS;
  }
  return valid;
}
