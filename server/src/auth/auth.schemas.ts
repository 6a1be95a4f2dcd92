import { z } from 'zod';
import {
  KDF_PARAMS_BYTES,
  KEY_BUNDLE_MIN_BYTES,
  PUBLIC_KEYS_V1_BYTES,
  PUBLIC_KEYS_V2_BYTES,
} from '@onionchat/protocol';
import { authKey, base64Bytes, username } from '../common/schemas.js';

/**
 * A v1 record (an account created before ML-KEM keys, replayed by tests and old
 * clients) or a v2 one; which of the two, and the rest, decodePublicKeys checks.
 */
export const publicKeys = base64Bytes(PUBLIC_KEYS_V1_BYTES, PUBLIC_KEYS_V2_BYTES);

/** The only spelling the signed public keys record accepts, so the check cannot fail on case alone. */
const canonicalUuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be a lower-case UUID (8-4-4-4-12 hex digits)',
  );

export const kdfRequest = z.object({ username });

export const loginRequest = z.object({ username, authKey });

export function signupRequest(maxBundleBytes: number) {
  return z.object({
    username,
    userId: canonicalUuid,
    inviteToken: z.string().max(128).optional(),
    kdfParams: base64Bytes(KDF_PARAMS_BYTES, KDF_PARAMS_BYTES),
    authKey,
    publicKeys,
    keyBundle: base64Bytes(KEY_BUNDLE_MIN_BYTES, maxBundleBytes),
  });
}

export function passphraseChangeRequest(maxBundleBytes: number) {
  return z.object({
    currentAuthKey: authKey,
    kdfParams: base64Bytes(KDF_PARAMS_BYTES, KDF_PARAMS_BYTES),
    authKey,
    keyBundle: base64Bytes(KEY_BUNDLE_MIN_BYTES, maxBundleBytes),
  });
}

export type SignupRequest = z.infer<ReturnType<typeof signupRequest>>;
export type PassphraseChangeRequest = z.infer<ReturnType<typeof passphraseChangeRequest>>;
