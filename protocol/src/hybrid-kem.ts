// The key agreement behind a version 2 wrapped room key (PROTOCOL.md section 8): an
// X25519 shared secret and an ML-KEM-768 shared secret, hashed together with the
// ciphertext and both box keys. Either secret alone keeps the wrap key unknown.
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import nacl from 'tweetnacl';
import { concatBytes, isAllZero, utf8Encode } from './bytes.js';
import { x25519Step, type Steps } from './crypto-steps.js';
import { ProtocolError, requireLength } from './errors.js';
import { KEM_PUBLIC_KEY_BYTES } from './key-sizes.js';

export const KEM_CIPHERTEXT_BYTES = 1088;
/** SHA-512 of the member's ML-KEM public key, cut to 32 bytes: names the key without carrying it. */
export const KEM_KEY_DIGEST_BYTES = 32;
/** The randomness ML-KEM.Encaps draws (its message m). */
export const KEM_ENCAPSULATION_SEED_BYTES = 32;
const WRAP_KEY_BYTES = nacl.secretbox.keyLength; // 32

const WRAP_KEY_CONTEXT = utf8Encode('OnionChat v2 room key wrap\0');

export interface Encapsulated {
  kemCiphertext: Uint8Array;
  wrapKey: Uint8Array;
}

export function kemKeyDigest(kemPublicKey: Uint8Array): Uint8Array {
  return nacl.hash(kemPublicKey).slice(0, KEM_KEY_DIGEST_BYTES);
}

/**
 * The wrapper's side (its box public key must be the one of its secret key: the
 * caller's identity): a fresh ML-KEM ciphertext to the member's KEM key and the wrap
 * key both sides derive. `seed` is only for test vectors.
 */
export function* encapsulateWrapKey(
  wrapper: { boxPublicKey: Uint8Array; boxSecretKey: Uint8Array },
  member: { boxPublicKey: Uint8Array; kemPublicKey: Uint8Array },
  seed?: Uint8Array,
): Steps<Encapsulated> {
  requireLength(member.kemPublicKey, KEM_PUBLIC_KEY_BYTES, "Member's ML-KEM public key");
  if (seed !== undefined) requireLength(seed, KEM_ENCAPSULATION_SEED_BYTES, 'ML-KEM encapsulation seed');
  const classical = yield* x25519Shared(wrapper.boxSecretKey, member.boxPublicKey);
  let encapsulated;
  try {
    encapsulated = ml_kem768.encapsulate(member.kemPublicKey, seed);
  } catch {
    // FIPS 203's input check: the key's coefficients must be reduced modulo q.
    throw new ProtocolError('bad-key', 'Refusing to wrap a room key to a malformed ML-KEM public key.');
  }
  const wrapKey = combine(
    classical,
    encapsulated.sharedSecret,
    encapsulated.cipherText,
    member.boxPublicKey,
    wrapper.boxPublicKey,
  );
  return { kemCiphertext: encapsulated.cipherText, wrapKey };
}

/** The member's side: the same wrap key from its own secrets and the wrapper's box public key. */
export function* decapsulateWrapKey(
  kemCiphertext: Uint8Array,
  me: { boxPublicKey: Uint8Array; boxSecretKey: Uint8Array; kemSecretKey: Uint8Array },
  wrapperBoxPublicKey: Uint8Array,
): Steps<Uint8Array> {
  const classical = yield* x25519Shared(me.boxSecretKey, wrapperBoxPublicKey);
  let sharedSecret;
  try {
    sharedSecret = ml_kem768.decapsulate(kemCiphertext, me.kemSecretKey);
  } catch {
    throw new ProtocolError('bad-key', 'This account’s ML-KEM secret key is unusable.');
  }
  return combine(classical, sharedSecret, kemCiphertext, me.boxPublicKey, wrapperBoxPublicKey);
}

/** X25519 between the two box keys; an all-zero result means a small-order key and is refused. */
function* x25519Shared(secretKey: Uint8Array, publicKey: Uint8Array): Steps<Uint8Array> {
  const shared = yield* x25519Step(secretKey, publicKey);
  if (isAllZero(shared)) {
    throw new ProtocolError('bad-key', 'The X25519 shared secret is all zeros: one of the box keys is unusable.');
  }
  return shared;
}

/**
 * SHA-512(label || x25519 || ML-KEM secret || ciphertext || member box key || wrapper box key),
 * cut to 32 bytes. The ciphertext and both public keys bind the secrets to this exchange.
 */
function combine(
  classical: Uint8Array,
  postQuantum: Uint8Array,
  kemCiphertext: Uint8Array,
  memberBoxPublicKey: Uint8Array,
  wrapperBoxPublicKey: Uint8Array,
): Uint8Array {
  const digest = nacl.hash(
    concatBytes(WRAP_KEY_CONTEXT, classical, postQuantum, kemCiphertext, memberBoxPublicKey, wrapperBoxPublicKey),
  );
  classical.fill(0);
  postQuantum.fill(0);
  return digest.slice(0, WRAP_KEY_BYTES);
}
