import nacl from 'tweetnacl';
import { randomBytes } from './bytes.js';
import { requireLength } from './errors.js';
import { canonicalUsername } from './username.js';

export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_SECRET_KEY_BYTES = 32;
export const SIGN_PUBLIC_KEY_BYTES = 32;
export const SIGN_SEED_BYTES = 32;
/** tweetnacl's form: seed(32) || public key(32). */
export const SIGN_SECRET_KEY_BYTES = 64;

/**
 * A user's long-term keys: X25519 for encryption (nacl.box) and Ed25519 for
 * signatures. Only the two 32-byte secrets are stored (in the key bundle);
 * everything else is derived from them.
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
}

export function createIdentity(username: string): Identity {
  return identityFromSeeds(username, randomBytes(BOX_SECRET_KEY_BYTES), randomBytes(SIGN_SEED_BYTES));
}

/** Deterministic: the same secrets always give the same identity. */
export function identityFromSeeds(username: string, boxSecretKey: Uint8Array, signSeed: Uint8Array): Identity {
  requireLength(boxSecretKey, BOX_SECRET_KEY_BYTES, 'Box secret key');
  requireLength(signSeed, SIGN_SEED_BYTES, 'Signing seed');
  const box = nacl.box.keyPair.fromSecretKey(boxSecretKey.slice());
  const sign = nacl.sign.keyPair.fromSeed(signSeed.slice());
  return {
    username: canonicalUsername(username),
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    signSeed: signSeed.slice(),
  };
}
