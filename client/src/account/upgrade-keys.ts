// Accounts created before ML-KEM keys existed are upgraded by their own client at the
// next log-in (PROTOCOL.md, "Migration"): first a KEM seed is added to the sealed key
// bundle, then a version 2 public keys record with that KEM key is published. Both
// steps look at what is stored before acting, so a page closed between them is
// repaired by the next log-in, and running them again changes nothing.

import {
  KEM_SEED_EXTENSION,
  KEM_SEED_BYTES,
  PUBLIC_KEYS_V2,
  ProtocolError,
  addKemKeys,
  decodeKemSeed,
  encodeKemSeed,
  encodePublicKeysAsync,
  randomBytes,
  toBase64,
  type Identity,
  type PublicKeys,
} from '@onionchat/protocol';
import type { User } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import type { BundleVault } from '../trust/vault.js';
import { AccountError } from './account-error.js';
import { carriesIdentity, publishedKeys, tamperedMessage } from './sealed-keys.js';

export interface UpgradedAccount {
  /** The account as the server now describes it (its newly published keys, when they changed). */
  user: User;
  /** The unlocked identity, with its ML-KEM keys when the bundle holds (or now holds) a seed. */
  identity: Identity;
}

/**
 * Makes sure the account has an ML-KEM key in its bundle and publishes it. A bundle
 * that this page may not write (saved by a newer client) is left as it is: the
 * account then stays classical until a client that can read it upgrades it.
 */
export async function upgradeAccountKeys(
  api: Api,
  user: User,
  /** `user`'s published record, as the log-in already checked it. */
  published: PublicKeys,
  identity: Identity,
  vault: BundleVault,
): Promise<UpgradedAccount> {
  const seed = await storedKemSeed(vault);
  if (!seed) return { user, identity };
  const upgraded = addKemKeys(identity, seed);
  seed.fill(0);
  return { user: await publishKemKey(api, user, published, upgraded), identity: upgraded };
}

/**
 * The bundle's KEM seed, after adding one when it has none. Null when the bundle may
 * not be written, or holds a seed this page cannot read (written by a newer client):
 * it is kept as it is rather than replaced.
 */
async function storedKemSeed(vault: BundleVault): Promise<Uint8Array | null> {
  const stored = vault.extension(KEM_SEED_EXTENSION);
  if (stored) return readableSeed(stored);
  if (vault.unreadable) return null;
  const fresh = encodeKemSeed(randomBytes(KEM_SEED_BYTES));
  // Another session may have added a seed meanwhile: its seed is kept, so both agree.
  await vault.saveExtension(KEM_SEED_EXTENSION, (current) => current ?? fresh);
  const saved = vault.extension(KEM_SEED_EXTENSION);
  return saved ? readableSeed(saved) : null;
}

function readableSeed(value: Uint8Array): Uint8Array | null {
  try {
    return decodeKemSeed(value);
  } catch (error) {
    if (error instanceof ProtocolError) return null;
    throw error;
  }
}

/** Publishes a v2 record for `identity` unless the server already has one with its KEM key. */
async function publishKemKey(api: Api, user: User, published: PublicKeys, identity: Identity): Promise<User> {
  if (publishesAll(published, identity)) return user;
  const answer = await api.publishKeys({ publicKeys: toBase64(await encodePublicKeysAsync(identity, user.id)) });
  // The account the server answers for must be this one, now with all of these keys.
  const answered = answer.user;
  if (answered.id !== user.id || answered.username !== user.username) throw new AccountError(tamperedMessage());
  if (!publishesAll(await publishedKeys(answered, user.username), identity)) throw new AccountError(tamperedMessage());
  return answered;
}

/** A v2 record with exactly this identity's keys. */
function publishesAll(published: PublicKeys, identity: Identity): boolean {
  return published.version === PUBLIC_KEYS_V2 && carriesIdentity(published, identity);
}
