import { z } from 'zod';
import { BUNDLE_DIGEST_BYTES, KEY_BUNDLE_MIN_BYTES, SIGNATURE_BYTES } from '@onionchat/protocol';
import { authKey, base64Bytes } from '../common/schemas.js';
import { publicKeys } from '../auth/auth.schemas.js';

/** A new public keys record for the caller's own identity (the ML-KEM upgrade of an older account). */
export const publishKeysRequest = z.object({ publicKeys });

export type PublishKeysRequest = z.infer<typeof publishKeysRequest>;

/** A re-sealed key bundle (new contact pins), signed by the account key over the bundle it replaces. */
export function bundleUpdateRequest(maxBundleBytes: number) {
  return z.object({
    keyBundle: base64Bytes(KEY_BUNDLE_MIN_BYTES, maxBundleBytes),
    replaces: base64Bytes(BUNDLE_DIGEST_BYTES, BUNDLE_DIGEST_BYTES),
    signature: base64Bytes(SIGNATURE_BYTES, SIGNATURE_BYTES),
  });
}

export type BundleUpdateRequest = z.infer<ReturnType<typeof bundleUpdateRequest>>;

/** Deleting the account: the auth key derived from the current passphrase, as a passphrase change proves it. */
export const deleteAccountRequest = z.object({ currentAuthKey: authKey });

export type DeleteAccountRequest = z.infer<typeof deleteAccountRequest>;
