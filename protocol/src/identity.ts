import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { randomBytes } from './bytes.js';
import { boxPublicKeyStep, runNative, runSync, signKeyPairStep, type Steps } from './crypto-steps.js';
import { requireLength } from './errors.js';
import { canonicalUsername } from './username.js';

import { BOX_SECRET_KEY_BYTES, KEM_SEED_BYTES, SIGN_SEED_BYTES } from './key-sizes.js';

/** An ML-KEM-768 key pair; only the seed is stored, the keys are derived from it. */
export interface KemKeys {
  seed: Uint8Array;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/**
 * A user's long-term keys: X25519 for encryption (nacl.box), Ed25519 for
 * signatures and ML-KEM-768 so room keys stay secret even against a future
 * quantum computer. Only the secrets (two of 32 bytes, one seed of 64) are
 * stored in the key bundle; everything else is derived from them.
 */
export interface Identity {
  /** Canonical (lower-case) username. */
  username: string;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
  signPublicKey: Uint8Array;
  /** 64 bytes, tweetnacl form. */
  signSecretKey: Uint8Array;
  /** 32 bytes; the signing key pair is derived from it. */
  signSeed: Uint8Array;
  /** Null for an account created before ML-KEM keys existed and not upgraded yet. */
  kem: KemKeys | null;
}

export function createIdentity(username: string): Identity {
  return runSync(newIdentitySteps(username));
}

/** createIdentity, deriving the public keys through the engine's native code where it can. */
export function createIdentityAsync(username: string): Promise<Identity> {
  return runNative(newIdentitySteps(username));
}

function newIdentitySteps(username: string): Steps<Identity> {
  return identitySteps(
    username,
    randomBytes(BOX_SECRET_KEY_BYTES),
    randomBytes(SIGN_SEED_BYTES),
    randomBytes(KEM_SEED_BYTES),
  );
}

/** Deterministic: the same secrets always give the same identity. */
export function identityFromSeeds(
  username: string,
  boxSecretKey: Uint8Array,
  signSeed: Uint8Array,
  kemSeed: Uint8Array | null = null,
): Identity {
  return runSync(identitySteps(username, boxSecretKey, signSeed, kemSeed));
}

/** identityFromSeeds, deriving the public keys through the engine's native code where it can. */
export function identityFromSeedsAsync(
  username: string,
  boxSecretKey: Uint8Array,
  signSeed: Uint8Array,
  kemSeed: Uint8Array | null = null,
): Promise<Identity> {
  return runNative(identitySteps(username, boxSecretKey, signSeed, kemSeed));
}

export function* identitySteps(
  username: string,
  boxSecretKey: Uint8Array,
  signSeed: Uint8Array,
  kemSeed: Uint8Array | null,
): Steps<Identity> {
  requireLength(boxSecretKey, BOX_SECRET_KEY_BYTES, 'Box secret key');
  requireLength(signSeed, SIGN_SEED_BYTES, 'Signing seed');
  const boxSecret = boxSecretKey.slice();
  const boxPublicKey = yield* boxPublicKeyStep(boxSecret);
  const sign = yield* signKeyPairStep(signSeed.slice());
  return {
    username: canonicalUsername(username),
    boxPublicKey,
    boxSecretKey: boxSecret,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    signSeed: signSeed.slice(),
    kem: kemSeed === null ? null : kemKeysFromSeed(kemSeed),
  };
}

/** The same identity with ML-KEM keys from `seed` (a fresh random one by default); the input is left as it is. */
export function addKemKeys(identity: Identity, seed: Uint8Array = randomBytes(KEM_SEED_BYTES)): Identity {
  return { ...identity, kem: kemKeysFromSeed(seed) };
}

function kemKeysFromSeed(seed: Uint8Array): KemKeys {
  requireLength(seed, KEM_SEED_BYTES, 'ML-KEM seed');
  const copy = seed.slice();
  const { publicKey, secretKey } = ml_kem768.keygen(copy.slice());
  return { seed: copy, publicKey, secretKey };
}
