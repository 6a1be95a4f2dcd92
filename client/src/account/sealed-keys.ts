// What every account flow does with the server's answers before trusting them:
// KDF parameters are checked before a passphrase is used with them, published keys
// must carry a valid self-signature, and a sealed bundle must open to exactly the
// published identity.

import {
  ProtocolError,
  decodeKdfParams,
  decodePublicKeysAsync,
  equalBytes,
  fromBase64,
  kdfFloorProblem,
  openKeyBundleAsync,
  type Identity,
  type IdentityKeys,
  type KdfParams,
  type OpenedBundle,
  type PublicKeys,
} from '@onionchat/protocol';
import type { User } from '@onionchat/contract';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';
import { bundleHistory, type BundleVault } from '../trust/vault.js';
import { sayer } from '../present/phrasebook.js';
import { AccountError, type FormField } from './account-error.js';
import { ACCOUNT_PHRASES } from './account-phrases.js';

const say = sayer(ACCOUNT_PHRASES);

export type ProgressFn = (step: string) => void;

/** An unlocked account: what the chat needs to start. */
export interface Unlocked {
  user: User;
  identity: Identity;
  /** The open key bundle, for saving contact pins back to it. */
  vault: BundleVault;
}

// The refusals of what the server sent, in the reader's language (said when thrown).
export const unsafeKdfMessage = (): string => say('account.keys.unsafeKdf');
export const loweredKdfMessage = (): string => say('account.keys.loweredKdf');
export const unreadableKdfMessage = (): string => say('account.keys.unreadableKdf');
export const tamperedMessage = (): string => say('account.keys.tampered');

/** Lets a page paint a progress message before synchronous crypto work. */
export function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * The server's KDF parameters, refused (before the passphrase is used) when weak or
 * unknown, or below `floor`: the most iterations this page has seen the account use
 * (`knownKdfFloor`), which a server lowering them to cheapen a guess would go under.
 */
export function decodeServerKdfParams(base64: string, floor: number): KdfParams {
  let params: KdfParams;
  try {
    params = decodeKdfParams(fromBase64(base64));
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'weak-kdf') throw new AccountError(unsafeKdfMessage());
    throw new AccountError(unreadableKdfMessage());
  }
  if (kdfFloorProblem(params, floor)) throw new AccountError(loweredKdfMessage());
  return params;
}

/** The highest KDF iteration count this page has seen `username` (canonical) use; 0 when none. */
export function knownKdfFloor(api: Api, username: string): number {
  return bundleHistory(api).of(username).kdfFloor;
}

/** A user's published keys, checked against their self-signature for `username` and the account's id. */
export async function publishedKeys(user: User, username: string): Promise<PublicKeys> {
  try {
    return await decodePublicKeysAsync(fromBase64(user.publicKeys), username, user.id);
  } catch {
    throw new AccountError(tamperedMessage());
  }
}

/** A published record carries exactly this identity's keys, its ML-KEM key included. */
export function carriesIdentity(published: PublicKeys, identity: Identity): boolean {
  return (
    equalBytes(published.signPublicKey, identity.signPublicKey) &&
    equalBytes(published.boxPublicKey, identity.boxPublicKey) &&
    published.kemPublicKey !== null &&
    identity.kem !== null &&
    equalBytes(published.kemPublicKey, identity.kem.publicKey)
  );
}

/** Opens a sealed key bundle; `decryptFailed` explains a wrong wrap key in context. */
export async function openBundle(
  keyBundle: string,
  wrapKey: Uint8Array,
  username: string,
  expected: IdentityKeys,
  decryptFailed: AccountError,
): Promise<OpenedBundle & { sealed: Uint8Array }> {
  let sealed: Uint8Array;
  try {
    sealed = fromBase64(keyBundle);
  } catch {
    throw new AccountError(tamperedMessage());
  }
  try {
    return { ...(await openKeyBundleAsync(sealed, wrapKey, username, expected)), sealed };
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'decrypt-failed') throw decryptFailed;
    throw new AccountError(tamperedMessage());
  }
}

/** The server refused the credentials: say so in the flow's own words; anything else is rethrown. */
export function rethrowCredentials(error: unknown, message: string, field: FormField | null): never {
  if (error instanceof ApiError && error.status === 401 && error.code === 'wrong_credentials') {
    throw new AccountError(message, field);
  }
  throw error;
}
