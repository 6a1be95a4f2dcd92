import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, equalBytes, fromHex, utf8Encode } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import {
  BOX_PUBLIC_KEY_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
  SIGN_SEED_BYTES,
  type Identity,
} from './identity.js';
import { encodeUsernameField } from './username.js';

export const PUBLIC_KEYS_VERSION = 1;
export const SIGNATURE_BYTES = 64;
/** The signed part: version(1) signPublicKey(32) boxPublicKey(32). */
const SIGNED_BODY_BYTES = 1 + SIGN_PUBLIC_KEY_BYTES + BOX_PUBLIC_KEY_BYTES;
/** version(1) signPublicKey(32) boxPublicKey(32) signature(64) = 129 */
export const PUBLIC_KEYS_BYTES = SIGNED_BODY_BYTES + SIGNATURE_BYTES;

const SIGNATURE_CONTEXT = utf8Encode('OnionChat v1 public keys\0');

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

/** What others need to talk to a user: verified with the username it was signed for. */
export interface PublicKeys {
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
}

/**
 * version(1)=1 || signPublicKey(32) || boxPublicKey(32) || signature(64).
 * The signature also covers the username, so the server cannot present
 * Alice's record as Bob's.
 */
export function encodePublicKeys(identity: Identity): Uint8Array {
  requireLength(identity.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  requireLength(identity.boxPublicKey, BOX_PUBLIC_KEY_BYTES, 'Box public key');
  requireLength(identity.signSecretKey, SIGN_SECRET_KEY_BYTES, 'Signing secret key');
  if (!equalBytes(identity.signSecretKey.subarray(SIGN_SEED_BYTES), identity.signPublicKey)) {
    throw new ProtocolError('key-mismatch', 'The signing secret key does not match the signing public key.');
  }
  const body = concatBytes(Uint8Array.of(PUBLIC_KEYS_VERSION), identity.signPublicKey, identity.boxPublicKey);
  const signature = nacl.sign.detached(signedMessage(identity.username, body), identity.signSecretKey);
  return concatBytes(body, signature);
}

export function decodePublicKeys(bytes: Uint8Array, username: string): PublicKeys {
  requireLength(bytes, PUBLIC_KEYS_BYTES, 'Public keys record');
  const reader = new ByteReader(bytes, 'Public keys record');
  const version = reader.u8('version');
  if (version !== PUBLIC_KEYS_VERSION) {
    throw new ProtocolError('bad-version', `Unknown public keys record version ${version}.`);
  }
  const signPublicKey = reader.take(SIGN_PUBLIC_KEY_BYTES, 'signing public key');
  const boxPublicKey = reader.take(BOX_PUBLIC_KEY_BYTES, 'box public key');
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  const message = signedMessage(username, bytes.subarray(0, SIGNED_BODY_BYTES));
  if (!nacl.sign.detached.verify(message, signature, signPublicKey)) {
    throw new ProtocolError(
      'bad-signature',
      `The public keys record is not validly signed for "${username}" (tampered, or it belongs to someone else).`,
    );
  }
  if (isSmallOrderBoxKey(boxPublicKey)) {
    throw new ProtocolError('bad-key', 'The public keys record contains an unusable (small-order) box key.');
  }
  return { signPublicKey, boxPublicKey };
}

/** "OnionChat v1 public keys\0" || u8 len(username) || username || body */
function signedMessage(username: string, body: Uint8Array): Uint8Array {
  return concatBytes(SIGNATURE_CONTEXT, encodeUsernameField(username), body);
}

/** True for the small-order X25519 keys listed above (a box to one has a predictable shared key). */
export function isSmallOrderBoxKey(key: Uint8Array): boolean {
  const masked = key.slice();
  masked[masked.length - 1] = (masked[masked.length - 1] as number) & LAST_BYTE_MASK;
  let found = false;
  for (const bad of SMALL_ORDER_BOX_KEYS) found = equalBytes(masked, bad) || found;
  return found;
}
