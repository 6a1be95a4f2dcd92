// Sign up, log in, unlock. Passphrases and derived keys stay in these functions'
// locals; only the auth key, the public-keys record and the sealed key bundle are
// sent to the server.

import {
  KEM_SEED_EXTENSION,
  createIdentityAsync,
  deriveAccountKeys,
  encodeKdfParams,
  encodeKemSeed,
  encodePublicKeysAsync,
  newKdfParams,
  newUuid,
  sealKeyBundle,
  toBase64,
  type BundleExtension,
  type Identity,
  type PublicKeys,
} from '@onionchat/protocol';
import type { SignupBody, User } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import { BundleVault } from '../trust/vault.js';
import { AccountError, WRONG_CREDENTIALS_MESSAGE } from './account-error.js';
import { canonicalUsername, wipe, wipeIdentity } from './identity.js';
import {
  carriesIdentity,
  decodeServerKdfParams,
  knownKdfFloor,
  openBundle,
  pause,
  publishedKeys,
  rethrowCredentials,
  tamperedMessage,
  type ProgressFn,
  type Unlocked,
} from './sealed-keys.js';
import { upgradeAccountKeys } from './upgrade-keys.js';
import { sayer } from '../present/phrasebook.js';
import { ACCOUNT_PHRASES } from './account-phrases.js';
import { sayPassphraseProblem, sayUsernameProblem } from '../present/form-rules.js';

const say = sayer(ACCOUNT_PHRASES);

export async function signUp(
  api: Api,
  usernameInput: string,
  passphrase: string,
  inviteToken: string | null,
  onProgress: ProgressFn = () => {},
): Promise<Unlocked> {
  const username = canonicalUsername(usernameInput);
  const nameProblem = sayUsernameProblem(username);
  // The protocol words its own rules, in English only: shown as it says them.
  if (nameProblem) throw new AccountError(nameProblem, 'username');
  const phraseProblem = sayPassphraseProblem(passphrase, username);
  if (phraseProblem) throw new AccountError(phraseProblem, 'passphrase');

  onProgress(say('account.progress.generatingKeys'));
  await pause();
  const identity = await createIdentityAsync(username);
  // Chosen here, not by the server: the signed public keys record names the account.
  const userId = newUuid();
  // The KDF parameters of a new account are ours, never the server's.
  const params = newKdfParams();

  onProgress(say('account.progress.derivingFromPassphrase'));
  await pause();
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  const extensions = [kemSeedExtension(identity)];
  const sealed = sealKeyBundle(identity, wrapKey, extensions);
  let body: SignupBody;
  try {
    body = {
      username,
      userId,
      ...(inviteToken ? { inviteToken } : {}),
      kdfParams: toBase64(encodeKdfParams(params)),
      authKey: toBase64(authKey),
      publicKeys: toBase64(await encodePublicKeysAsync(identity, userId)),
      keyBundle: toBase64(sealed),
    };
  } finally {
    wipe(authKey);
  }

  onProgress(say('account.progress.creatingAccount'));
  try {
    const { user } = await api.signup(body);
    // The account the server created must be the one asked for, with these keys.
    if (
      user.username !== username ||
      user.id !== userId ||
      !carriesIdentity(await publishedKeys(user, username), identity)
    ) {
      throw new AccountError(tamperedMessage());
    }
    const vault = new BundleVault(api, user.id, identity, wrapKey, sealed, extensions, params.iterations);
    return { user, identity, vault };
  } catch (error) {
    wipeIdentity(identity);
    wipe(wrapKey);
    throw error;
  }
}

export async function logIn(
  api: Api,
  usernameInput: string,
  passphrase: string,
  onProgress: ProgressFn = () => {},
): Promise<Unlocked> {
  const username = canonicalUsername(usernameInput);
  if (username.length === 0) throw new AccountError(say('account.form.enterUsername'), 'username');
  const nameProblem = sayUsernameProblem(username);
  if (nameProblem) throw new AccountError(nameProblem, 'username');
  if (passphrase.length === 0) throw new AccountError(say('account.form.enterPassphrase'), 'passphrase');

  onProgress(say('account.progress.contactingServer'));
  const { kdfParams } = await api.kdf(username);
  const params = decodeServerKdfParams(kdfParams, knownKdfFloor(api, username));

  onProgress(say('account.progress.derivingKeys'));
  await pause();
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  try {
    onProgress(say('account.progress.loggingIn'));
    let result;
    try {
      result = await api.login(username, toBase64(authKey));
    } catch (error) {
      // Kept in English: describe-error compares it, and the web words it by its own key.
      rethrowCredentials(error, WRONG_CREDENTIALS_MESSAGE, null);
    }
    if (result.user.username !== username) throw new AccountError(tamperedMessage());
    const published = await publishedKeys(result.user, username);

    onProgress(say('account.progress.unlockingKeys'));
    await pause();
    const opened = await openBundle(
      result.keyBundle,
      wrapKey,
      username,
      published,
      new AccountError(say('account.form.keysWouldNotOpen')),
    );
    const vault = new BundleVault(
      api,
      result.user.id,
      opened.identity,
      wrapKey.slice(),
      opened.sealed,
      opened.extensions,
      params.iterations,
    );
    return await upgraded(api, result.user, published, opened.identity, vault);
  } finally {
    wipe(authKey, wrapKey);
  }
}

/**
 * Unlock after a reload: the HttpOnly session is still valid but the keys were only
 * ever in memory. Fetches the sealed bundle with the session and opens it locally,
 * so no new session is created. `user`: who the session belongs to (whoAmI).
 */
export async function unlock(
  api: Api,
  user: User,
  passphrase: string,
  onProgress: ProgressFn = () => {},
): Promise<Unlocked> {
  if (passphrase.length === 0) throw new AccountError(say('account.form.enterPassphrase'), 'passphrase');
  const username = user.username;

  onProgress(say('account.progress.fetchingSealedKeys'));
  const { kdfParams, keyBundle } = await api.bundle();
  const params = decodeServerKdfParams(kdfParams, knownKdfFloor(api, username));
  const expected = await publishedKeys(user, username);

  onProgress(say('account.progress.derivingKeys'));
  await pause();
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  try {
    onProgress(say('account.progress.unlockingKeys'));
    await pause();
    const opened = await openBundle(
      keyBundle,
      wrapKey,
      username,
      expected,
      new AccountError(say('account.form.wrongPassphrase'), 'passphrase'),
    );
    const vault = new BundleVault(
      api,
      user.id,
      opened.identity,
      wrapKey.slice(),
      opened.sealed,
      opened.extensions,
      params.iterations,
    );
    return await upgraded(api, user, expected, opened.identity, vault);
  } finally {
    wipe(authKey, wrapKey);
  }
}

/** The unlocked account after its ML-KEM upgrade; on failure nothing unlocked is left behind. */
async function upgraded(
  api: Api,
  user: User,
  published: PublicKeys,
  identity: Identity,
  vault: BundleVault,
): Promise<Unlocked> {
  try {
    return { ...(await upgradeAccountKeys(api, user, published, identity, vault)), vault };
  } catch (error) {
    vault.wipe();
    wipeIdentity(identity);
    throw error;
  }
}

/** The bundle entry that keeps the ML-KEM seed of a new identity. */
function kemSeedExtension(identity: Identity): BundleExtension {
  return { type: KEM_SEED_EXTENSION, value: encodeKemSeed(identity.kem!.seed) };
}
