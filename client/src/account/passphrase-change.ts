// Changing the passphrase: the same identity and bundle extensions, sealed under a
// key derived from the new passphrase with fresh KDF parameters.

import {
  deriveAccountKeys,
  encodeKdfParams,
  newKdfParams,
  passphraseProblem,
  sealKeyBundle,
  toBase64,
  type AccountKeys,
  type Identity,
  type PublicKeys,
} from '@onionchat/protocol';
import type { User } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import { BundleVault } from '../trust/vault.js';
import { AccountError } from './account-error.js';
import { wipe } from './identity.js';
import {
  decodeServerKdfParams,
  openBundle,
  pause,
  publishedKeys,
  rethrowCredentials,
  type ProgressFn,
  type Unlocked,
} from './sealed-keys.js';

const WRONG_CURRENT_MESSAGE = 'Your current passphrase is wrong.';

/**
 * `knownIdentity`: the keys already unlocked in this session, if any (they were
 * verified at log-in, so they are preferred over the server's published record).
 */
export async function changePassphrase(
  api: Api,
  user: User,
  knownIdentity: Identity | null,
  current: string,
  next: string,
  onProgress: ProgressFn = () => {},
): Promise<Unlocked> {
  const username = user.username;
  if (current.length === 0) {
    throw new AccountError('Enter your current passphrase.', 'current-passphrase');
  }
  const problem = passphraseProblem(next, username);
  if (problem) throw new AccountError(problem, 'new-passphrase');
  if (next.normalize('NFKC') === current.normalize('NFKC')) {
    throw new AccountError(
      'The new passphrase is the same as your current one. Choose a different one.',
      'new-passphrase',
    );
  }

  onProgress('Fetching your sealed keys…');
  const { kdfParams, keyBundle } = await api.bundle();
  const oldParams = decodeServerKdfParams(kdfParams);
  const expected: PublicKeys = knownIdentity
    ? { signPublicKey: knownIdentity.signPublicKey, boxPublicKey: knownIdentity.boxPublicKey }
    : publishedKeys(user, username);

  onProgress('Checking your current passphrase (this takes a moment)…');
  await pause();
  const oldKeys = await deriveAccountKeys(current, username, oldParams);
  let newKeys: AccountKeys | null = null;
  try {
    const opened = openBundle(
      keyBundle,
      oldKeys.wrapKey,
      username,
      expected,
      new AccountError(WRONG_CURRENT_MESSAGE, 'current-passphrase'),
    );

    onProgress('Deriving keys from your new passphrase (this takes a moment)…');
    await pause();
    const newParams = newKdfParams();
    newKeys = await deriveAccountKeys(next, username, newParams);
    // Same identity, same extensions: only the wrapping changes.
    const sealed = sealKeyBundle(opened.identity, newKeys.wrapKey, opened.extensions);

    onProgress('Saving…');
    try {
      await api.changePassphrase({
        currentAuthKey: toBase64(oldKeys.authKey),
        kdfParams: toBase64(encodeKdfParams(newParams)),
        authKey: toBase64(newKeys.authKey),
        keyBundle: toBase64(sealed),
      });
    } catch (error) {
      rethrowCredentials(error, WRONG_CURRENT_MESSAGE, 'current-passphrase');
    }
    // The account is the one this session belongs to, whatever the answer echoes.
    const vault = new BundleVault(api, user.id, opened.identity, newKeys.wrapKey.slice(), sealed, opened.extensions);
    return { user, identity: opened.identity, vault };
  } finally {
    wipe(oldKeys.authKey, oldKeys.wrapKey);
    if (newKeys) wipe(newKeys.authKey, newKeys.wrapKey);
  }
}
