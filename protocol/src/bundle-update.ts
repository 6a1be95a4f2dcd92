import nacl from 'tweetnacl';
import { concatBytes, utf8Encode } from './bytes.js';
import { runNative, runSync, signStep, verifyStep, type Steps } from './crypto-steps.js';
import { requireLength } from './errors.js';
import { SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './key-sizes.js';
import { type Identity } from './identity.js';
import { SIGNATURE_BYTES } from './public-keys.js';
import { uuidToBytes } from './uuid.js';

/** First 32 bytes of SHA-512 over a sealed bundle: names the bundle an update replaces. */
export const BUNDLE_DIGEST_BYTES = 32;
const SIGNATURE_CONTEXT = utf8Encode('OnionChat v1 key bundle update\0');

export function bundleDigest(sealed: Uint8Array): Uint8Array {
  return nacl.hash(sealed).slice(0, BUNDLE_DIGEST_BYTES);
}

/**
 * Signature by the account's Ed25519 key over
 *   "OnionChat v1 key bundle update\0" || userId(16) || bundleDigest(previous)(32) || next
 * so the server can check that a replacement bundle comes from the key holder
 * (a stolen session alone cannot overwrite the keys) and replaces the bundle
 * the client last saw (an old update cannot be replayed, and two tabs cannot
 * silently overwrite each other's pins).
 */
export function signBundleUpdate(
  identity: Identity,
  userId: string,
  previous: Uint8Array,
  next: Uint8Array,
): Uint8Array {
  return runSync(signUpdateSteps(identity, userId, previous, next));
}

/** signBundleUpdate through the engine's native Ed25519 where it has one. */
export function signBundleUpdateAsync(
  identity: Identity,
  userId: string,
  previous: Uint8Array,
  next: Uint8Array,
): Promise<Uint8Array> {
  return runNative(signUpdateSteps(identity, userId, previous, next));
}

function* signUpdateSteps(
  identity: Identity,
  userId: string,
  previous: Uint8Array,
  next: Uint8Array,
): Steps<Uint8Array> {
  requireLength(identity.signSecretKey, SIGN_SECRET_KEY_BYTES, 'Signing secret key');
  return yield* signStep(updateMessage(userId, bundleDigest(previous), next), identity.signSecretKey);
}

/** True only for a valid signature by `signPublicKey` over this exact replacement. */
export function verifyBundleUpdate(
  signPublicKey: Uint8Array,
  userId: string,
  previous: Uint8Array,
  next: Uint8Array,
  signature: Uint8Array,
): boolean {
  requireLength(signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
  return runSync(verifyStep(updateMessage(userId, bundleDigest(previous), next), signature, signPublicKey));
}

function updateMessage(userId: string, previousDigest: Uint8Array, next: Uint8Array): Uint8Array {
  return concatBytes(SIGNATURE_CONTEXT, uuidToBytes(userId), previousDigest, next);
}
