// Changing the passphrase: the same identity and bundle extensions, sealed under a
// key derived from the new passphrase with fresh KDF parameters, as the bundle's next
// revision, never with fewer iterations than the account already used.

import {
  BUNDLE_STATE_EXTENSION,
  KDF_DEFAULT_ITERATIONS,
  deriveAccountKeys,
  encodeBundleState,
  encodeKdfParams,
  newKdfParams,
  nextBundleState,
  passphraseProblem,
  readBundleState,
  sealKeyBundle,
  toBase64,
  withExtension,
  type BundleExtension,
  type BundleState,
  type AccountKeys,
  type Identity,
  type IdentityKeys,
} from '@onionchat/protocol';
import type { User } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import { BundleVault, bundleHistory } from '../trust/vault.js';
import { AccountError } from './account-error.js';
import { wipe } from './identity.js';
import {
  decodeServerKdfParams,
  knownKdfFloor,
  openBundle,
  pause,
  publishedKeys,
  rethrowCredentials,
  type ProgressFn,
  type Unlocked,
} from './sealed-keys.js';

const WRONG_CURRENT_MESSAGE = 'Your current passphrase is wrong.';
const NEWER_BUNDLE_MESSAGE =
  'Your keys were saved by a newer version of OnionChat, so this page cannot re-seal them. Change your passphrase there.';

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
  const oldParams = decodeServerKdfParams(kdfParams, knownKdfFloor(api, username));
  const expected: IdentityKeys = knownIdentity
    ? { signPublicKey: knownIdentity.signPublicKey, boxPublicKey: knownIdentity.boxPublicKey }
    : await publishedKeys(user, username);

  onProgress('Checking your current passphrase (this takes a moment)…');
  await pause();
  const oldKeys = await deriveAccountKeys(current, username, oldParams);
  let newKeys: AccountKeys | null = null;
  try {
    const opened = await openBundle(
      keyBundle,
      oldKeys.wrapKey,
      username,
      expected,
      new AccountError(WRONG_CURRENT_MESSAGE, 'current-passphrase'),
    );

    // An older copy the server handed out is refused here, before it could be sealed as the newest.
    const history = bundleHistory(api);
    history.accept(username, storedState(opened.extensions));
    history.useIterations(username, oldParams.iterations);

    onProgress('Deriving keys from your new passphrase (this takes a moment)…');
    await pause();
    const newParams = newKdfParams(Math.max(KDF_DEFAULT_ITERATIONS, history.of(username).kdfFloor));
    newKeys = await deriveAccountKeys(next, username, newParams);
    // Same identity, same extensions: only the wrapping and the bundle state change.
    const state = nextBundleState(storedState(opened.extensions), newParams.iterations);
    const extensions = withExtension(opened.extensions, BUNDLE_STATE_EXTENSION, encodeBundleState(state));
    const sealed = sealKeyBundle(opened.identity, newKeys.wrapKey, extensions);

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
    const vault = new BundleVault(
      api,
      user.id,
      opened.identity,
      newKeys.wrapKey.slice(),
      sealed,
      extensions,
      newParams.iterations,
    );
    return { user, identity: opened.identity, vault };
  } finally {
    wipe(oldKeys.authKey, oldKeys.wrapKey);
    if (newKeys) wipe(newKeys.authKey, newKeys.wrapKey);
  }
}

/** The opened bundle's state; one this page cannot read (a newer client's) is not sealed over. */
function storedState(extensions: BundleExtension[]): BundleState {
  try {
    return readBundleState(extensions);
  } catch {
    throw new AccountError(NEWER_BUNDLE_MESSAGE);
  }
}
