import { z } from 'zod';
import { KDF_PARAMS_BYTES, PUBLIC_KEYS_BYTES, KEY_BUNDLE_MIN_BYTES } from '@onionchat/protocol';
import { authKey, base64Bytes, username } from '../common/schemas.js';

export const kdfRequest = z.object({ username });

export const loginRequest = z.object({ username, authKey });

export function signupRequest(maxBundleBytes: number) {
  return z.object({
    username,
    inviteToken: z.string().max(128).optional(),
    kdfParams: base64Bytes(KDF_PARAMS_BYTES, KDF_PARAMS_BYTES),
    authKey,
    publicKeys: base64Bytes(PUBLIC_KEYS_BYTES, PUBLIC_KEYS_BYTES),
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
