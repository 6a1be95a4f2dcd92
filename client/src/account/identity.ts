// Pure helpers about this account's name and keys.

import { fingerprint, normalizeUsername, type Identity } from '@onionchat/protocol';

/** The one spelling of a username that is stored, signed and bound into the KDF salt. */
export function canonicalUsername(input: string): string {
  return normalizeUsername(input);
}

export function identityFingerprint(identity: Identity): string {
  return fingerprint({ signPublicKey: identity.signPublicKey, boxPublicKey: identity.boxPublicKey });
}

/** Best-effort removal of secret key material from memory (JS gives no guarantees). */
export function wipeIdentity(identity: Identity | null): void {
  if (!identity) return;
  wipe(identity.boxSecretKey, identity.signSecretKey, identity.signSeed);
  if (identity.kem) wipe(identity.kem.seed, identity.kem.secretKey);
}

export function wipe(...buffers: Uint8Array[]): void {
  for (const buffer of buffers) buffer.fill(0);
}
