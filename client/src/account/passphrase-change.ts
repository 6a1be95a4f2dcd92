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
import { sayer } from '../present/phrasebook.js';
import { ACCOUNT_PHRASES } from './account-phrases.js';
import { sayPassphraseProblem } from '../present/form-rules.js';

const say = sayer(ACCOUNT_PHRASES);

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
    throw new AccountError(say('account.form.enterCurrentPassphrase'), 'current-passphrase');
  }
  const problem = sayPassphraseProblem(next, username);
  // The protocol words its own rules, in English only: shown as it says them.
  if (problem) throw new AccountError(problem, 'new-passphrase');
  if (next.normalize('NFKC') === current.normalize('NFKC')) {
    throw new AccountError(say('account.form.samePassphrase'), 'new-passphrase');
  }

  onProgress(say('account.progress.fetchingSealedKeys'));
  const { kdfParams, keyBundle } = await api.bundle();
  const oldParams = decodeServerKdfParams(kdfParams, knownKdfFloor(api, username));
  const expected: IdentityKeys = knownIdentity
    ? { signPublicKey: knownIdentity.signPublicKey, boxPublicKey: knownIdentity.boxPublicKey }
    : await publishedKeys(user, username);

  onProgress(say('account.progress.checkingCurrentPassphrase'));
  await pause();
  const oldKeys = await deriveAccountKeys(current, username, oldParams);
  let newKeys: AccountKeys | null = null;
  try {
    const opened = await openBundle(
      keyBundle,
      oldKeys.wrapKey,
      username,
      expected,
      new AccountError(say('account.form.wrongCurrentPassphrase'), 'current-passphrase'),
    );

    // An older copy the server handed out is refused here, before it could be sealed as the newest.
    const history = bundleHistory(api);
    history.accept(username, storedState(opened.extensions));
    history.useIterations(username, oldParams.iterations);

    onProgress(say('account.progress.derivingFromNewPassphrase'));
    await pause();
    const newParams = newKdfParams(Math.max(KDF_DEFAULT_ITERATIONS, history.of(username).kdfFloor));
    newKeys = await deriveAccountKeys(next, username, newParams);
    // Same identity, same extensions: only the wrapping and the bundle state change.
    const state = nextBundleState(storedState(opened.extensions), newParams.iterations);
    const extensions = withExtension(opened.extensions, BUNDLE_STATE_EXTENSION, encodeBundleState(state));
    const sealed = sealKeyBundle(opened.identity, newKeys.wrapKey, extensions);

    onProgress(say('account.progress.saving'));
    try {
      await api.changePassphrase({
        currentAuthKey: toBase64(oldKeys.authKey),
        kdfParams: toBase64(encodeKdfParams(newParams)),
        authKey: toBase64(newKeys.authKey),
        keyBundle: toBase64(sealed),
      });
    } catch (error) {
      rethrowCredentials(error, say('account.form.wrongCurrentPassphrase'), 'current-passphrase');
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
    throw new AccountError(say('account.keys.newerVersionNoChange'));
  }
}
