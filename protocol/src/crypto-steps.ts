// Each protocol operation that signs, verifies or agrees on a key is written once, as
// a generator that yields the primitive it needs ("steps") and receives the answer.
// Two drivers answer them: runSync with tweetnacl (the reference, synchronous; the
// server, the vectors and the baseline use it) and runNative with the engine's
// WebCrypto where it has Ed25519 and X25519, tweetnacl where it does not. One body
// per operation, so the two paths cannot drift apart in what they check.
import nacl from 'tweetnacl';
import { concatBytes } from './bytes.js';
import {
  nativeBoxPublicKey,
  nativeSign,
  nativeSignPublicKey,
  nativeSupport,
  nativeVerify,
  nativeX25519,
} from './native-crypto.js';

export type CryptoStep =
  | { op: 'sign'; message: Uint8Array; secretKey: Uint8Array }
  | { op: 'verify'; message: Uint8Array; signature: Uint8Array; publicKey: Uint8Array }
  | { op: 'x25519'; secretKey: Uint8Array; publicKey: Uint8Array }
  | { op: 'sign-public-key'; seed: Uint8Array }
  | { op: 'box-public-key'; secretKey: Uint8Array };

export type Steps<T> = Generator<CryptoStep, T, unknown>;

/** Ed25519 signature by `secretKey` (tweetnacl's 64-byte form). */
export function* signStep(message: Uint8Array, secretKey: Uint8Array): Steps<Uint8Array> {
  return (yield { op: 'sign', message, secretKey }) as Uint8Array;
}

/**
 * True for a valid Ed25519 signature. A signature whose S is not below the group
 * order is refused first, whichever engine checks it: WebCrypto refuses it and
 * tweetnacl would not, and two clients must never disagree about a message.
 */
export function* verifyStep(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): Steps<boolean> {
  if (signature.length !== 64 || publicKey.length !== 32 || !isCanonicalS(signature)) return false;
  return (yield { op: 'verify', message, signature, publicKey }) as boolean;
}

/** The raw X25519 shared secret, all zeros for a small-order peer key (callers refuse that). */
export function* x25519Step(secretKey: Uint8Array, publicKey: Uint8Array): Steps<Uint8Array> {
  return (yield { op: 'x25519', secretKey, publicKey }) as Uint8Array;
}

/** nacl.box's shared key: HSalsa20 of the X25519 secret, for secretbox. */
export function* boxKeyStep(secretKey: Uint8Array, publicKey: Uint8Array): Steps<Uint8Array> {
  const shared = yield* x25519Step(secretKey, publicKey);
  const key = new Uint8Array(32);
  hsalsa20(key, new Uint8Array(16), shared, SIGMA);
  shared.fill(0);
  return key;
}

export function* signKeyPairStep(seed: Uint8Array): Steps<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  const publicKey = (yield { op: 'sign-public-key', seed }) as Uint8Array;
  return { publicKey, secretKey: concatBytes(seed, publicKey) };
}

export function* boxPublicKeyStep(secretKey: Uint8Array): Steps<Uint8Array> {
  return (yield { op: 'box-public-key', secretKey }) as Uint8Array;
}

/** Runs an operation with tweetnacl only. */
export function runSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) next = steps.next(answerWithNacl(next.value));
  return next.value;
}

/** Runs an operation with native WebCrypto where this engine has it, tweetnacl elsewhere. */
export async function runNative<T>(steps: Steps<T>): Promise<T> {
  const support = await nativeSupport();
  let next = steps.next();
  while (!next.done) next = steps.next(await answerNatively(next.value, support));
  return next.value;
}

function answerWithNacl(step: CryptoStep): unknown {
  switch (step.op) {
    case 'sign':
      return nacl.sign.detached(step.message, step.secretKey);
    case 'verify':
      return nacl.sign.detached.verify(step.message, step.signature, step.publicKey);
    case 'x25519':
      return nacl.scalarMult(step.secretKey, step.publicKey);
    case 'sign-public-key':
      return nacl.sign.keyPair.fromSeed(step.seed).publicKey;
    case 'box-public-key':
      return nacl.box.keyPair.fromSecretKey(step.secretKey).publicKey;
  }
}

/**
 * A native answer where the probe found the primitive; tweetnacl's where it did not,
 * or where the engine refused this input (for example a public key it will not
 * import, or a small-order X25519 key, whose all-zero secret WebCrypto refuses to
 * return): the answer is then exactly tweetnacl's.
 */
async function answerNatively(step: CryptoStep, support: { ed25519: boolean; x25519: boolean }): Promise<unknown> {
  const native = step.op === 'x25519' || step.op === 'box-public-key' ? support.x25519 : support.ed25519;
  if (!native) return answerWithNacl(step);
  try {
    switch (step.op) {
      case 'sign':
        return await nativeSign(step.message, step.secretKey);
      case 'verify':
        return await nativeVerify(step.message, step.signature, step.publicKey);
      case 'x25519':
        return await nativeX25519(step.secretKey, step.publicKey);
      case 'sign-public-key':
        return await nativeSignPublicKey(step.seed);
      case 'box-public-key':
        return await nativeBoxPublicKey(step.secretKey);
    }
  } catch {
    return answerWithNacl(step);
  }
}

// The Ed25519 group order L, little-endian, as S is written in a signature.
export const ED25519_GROUP_ORDER: readonly number[] = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/** S (the signature's second half, little-endian) < L (RFC 8032 section 5.1.7). */
export function isCanonicalS(signature: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = signature[32 + i] as number;
    const l = ED25519_GROUP_ORDER[i] as number;
    if (s !== l) return s < l;
  }
  return false;
}

// tweetnacl's own HSalsa20 core (nacl.lowlevel is not in its typings).
const SIGMA = new Uint8Array([101, 120, 112, 97, 110, 100, 32, 51, 50, 45, 98, 121, 116, 101, 32, 107]);
const hsalsa20 = (nacl as unknown as { lowlevel: { crypto_core_hsalsa20: HSalsa20 } }).lowlevel.crypto_core_hsalsa20;
type HSalsa20 = (out: Uint8Array, input: Uint8Array, key: Uint8Array, constant: Uint8Array) => void;
