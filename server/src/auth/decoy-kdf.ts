// KDF parameters for usernames that do not exist. They must look exactly like a real
// account's and stay the same on every ask, or the salt endpoint would tell who has an
// account: the salt is an HMAC of the username under a persistent server secret.
import { createHmac } from 'node:crypto';
import { encodeKdfParams, KDF_DEFAULT_ITERATIONS, KDF_PBKDF2_SHA256, KDF_SALT_BYTES } from '@onionchat/protocol';

export function decoyKdfParams(secret: Uint8Array, username: string): Uint8Array {
  const salt = createHmac('sha256', secret).update(`decoy-kdf:${username}`).digest().subarray(0, KDF_SALT_BYTES);
  return encodeKdfParams({
    algorithm: KDF_PBKDF2_SHA256,
    iterations: KDF_DEFAULT_ITERATIONS,
    salt: new Uint8Array(salt),
  });
}
