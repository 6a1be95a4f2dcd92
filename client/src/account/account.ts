// Account flows: everything that combines @onionchat/protocol with the HTTP API.
// Passphrases and derived keys stay in this module's locals; only the auth key,
// the public-keys record and the sealed key bundle are sent to the server.

import {
  ProtocolError,
  decodeKdfParams,
  decodePublicKeys,
  deriveAccountKeys,
  encodeKdfParams,
  encodePublicKeys,
  fingerprint,
  fromBase64,
  createIdentity,
  newKdfParams,
  normalizeUsername,
  openKeyBundle,
  passphraseProblem,
  sealKeyBundle,
  toBase64,
  usernameProblem,
  type Identity,
  type KdfParams,
  type PublicKeys,
} from '@onionchat/protocol';
import { ApiError, api, type Invite, type Session, type User } from './api';
import { BundleVault } from './trust/vault';

export type ProgressFn = (step: string) => void;

export type FormField =
  'username' | 'passphrase' | 'passphrase-confirm' | 'current-passphrase' | 'new-passphrase' | 'new-passphrase-confirm';

/** A problem to show the person, optionally tied to the form field that caused it. */
export class AccountError extends Error {
  readonly field: FormField | null;

  constructor(message: string, field: FormField | null = null) {
    super(message);
    this.name = 'AccountError';
    this.field = field;
  }
}

export const UNSAFE_KDF_MESSAGE = 'The server offered unsafe key-derivation parameters; not sending anything.';
export const WRONG_CREDENTIALS_MESSAGE = 'Wrong username or passphrase';
const TAMPERED_MESSAGE =
  "The server sent account keys that don't match your account. They may have been damaged or tampered with, so they were not used.";

export interface Unlocked {
  user: User;
  identity: Identity;
  /** The open key bundle, for saving contact pins back to it. */
  vault: BundleVault;
}

/** Lets the browser paint a progress message before synchronous crypto work. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

function wipe(...buffers: Uint8Array[]): void {
  for (const buffer of buffers) buffer.fill(0);
}

/** Best-effort removal of secret key material from memory (JS gives no guarantees). */
export function wipeIdentity(identity: Identity | null): void {
  if (!identity) return;
  wipe(identity.boxSecretKey, identity.signSecretKey, identity.signSeed);
}

export function canonicalUsername(input: string): string {
  return normalizeUsername(input);
}

export function identityFingerprint(identity: Identity): string {
  return fingerprint({ signPublicKey: identity.signPublicKey, boxPublicKey: identity.boxPublicKey });
}

function decodeServerKdfParams(base64: string): KdfParams {
  try {
    return decodeKdfParams(fromBase64(base64));
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'weak-kdf') {
      throw new AccountError(UNSAFE_KDF_MESSAGE);
    }
    throw new AccountError("The server sent key-derivation parameters this page doesn't accept; not sending anything.");
  }
}

function publishedKeys(user: User, username: string): PublicKeys {
  try {
    return decodePublicKeys(fromBase64(user.publicKeys), username);
  } catch {
    throw new AccountError(TAMPERED_MESSAGE);
  }
}

/** Opens a sealed key bundle; `decryptFailedMessage` explains a wrong wrap key in context. */
function openBundle(
  keyBundle: string,
  wrapKey: Uint8Array,
  username: string,
  expected: PublicKeys,
  decryptFailed: AccountError,
): ReturnType<typeof openKeyBundle> {
  let sealed: Uint8Array;
  try {
    sealed = fromBase64(keyBundle);
  } catch {
    throw new AccountError(TAMPERED_MESSAGE);
  }
  try {
    return openKeyBundle(sealed, wrapKey, username, expected);
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'decrypt-failed') throw decryptFailed;
    throw new AccountError(TAMPERED_MESSAGE);
  }
}

function rethrowCredentials(error: unknown, message: string, field: FormField | null): never {
  if (error instanceof ApiError && error.status === 401 && error.code === 'wrong_credentials') {
    throw new AccountError(message, field);
  }
  throw error;
}

// ---------------------------------------------------------------------------
// Sign up, log in, unlock

export async function signUp(
  usernameInput: string,
  passphrase: string,
  inviteToken: string | null,
  onProgress: ProgressFn = () => {},
): Promise<Unlocked> {
  const username = canonicalUsername(usernameInput);
  const nameProblem = usernameProblem(username);
  if (nameProblem) throw new AccountError(nameProblem, 'username');
  const phraseProblem = passphraseProblem(passphrase, username);
  if (phraseProblem) throw new AccountError(phraseProblem, 'passphrase');

  onProgress('Generating keys…');
  await pause();
  const identity = createIdentity(username);
  const params = newKdfParams();

  onProgress('Deriving keys from your passphrase (this takes a moment)…');
  await pause();
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  const sealed = sealKeyBundle(identity, wrapKey);
  let body;
  try {
    body = {
      username,
      ...(inviteToken ? { inviteToken } : {}),
      kdfParams: toBase64(encodeKdfParams(params)),
      authKey: toBase64(authKey),
      publicKeys: toBase64(encodePublicKeys(identity)),
      keyBundle: toBase64(sealed),
    };
  } finally {
    wipe(authKey);
  }

  onProgress('Creating your account…');
  try {
    const { user } = await api.signup(body);
    return { user, identity, vault: new BundleVault(user.id, identity, wrapKey, sealed, []) };
  } catch (error) {
    wipeIdentity(identity);
    wipe(wrapKey);
    throw error;
  }
}

export async function logIn(
  usernameInput: string,
  passphrase: string,
  onProgress: ProgressFn = () => {},
): Promise<Unlocked> {
  const username = canonicalUsername(usernameInput);
  if (username.length === 0) throw new AccountError('Enter your username.', 'username');
  const nameProblem = usernameProblem(username);
  if (nameProblem) throw new AccountError(nameProblem, 'username');
  if (passphrase.length === 0) throw new AccountError('Enter your passphrase.', 'passphrase');

  onProgress('Contacting the server…');
  const { kdfParams } = await api.kdf(username);
  const params = decodeServerKdfParams(kdfParams);

  onProgress('Deriving keys (this takes a moment)…');
  await pause();
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  try {
    onProgress('Logging in…');
    let result;
    try {
      result = await api.login(username, toBase64(authKey));
    } catch (error) {
      rethrowCredentials(error, WRONG_CREDENTIALS_MESSAGE, null);
    }
    if (result.user.username !== username) throw new AccountError(TAMPERED_MESSAGE);

    onProgress('Unlocking your keys…');
    await pause();
    const opened = openBundle(
      result.keyBundle,
      wrapKey,
      username,
      publishedKeys(result.user, username),
      new AccountError(
        "The server accepted your passphrase, but your keys wouldn't decrypt. They may have been damaged or tampered with.",
      ),
    );
    const vault = new BundleVault(
      result.user.id,
      opened.identity,
      wrapKey.slice(),
      fromBase64(result.keyBundle),
      opened.extensions,
    );
    return { user: result.user, identity: opened.identity, vault };
  } finally {
    wipe(authKey, wrapKey);
  }
}

/**
 * Unlock after a page reload: the HttpOnly session is still valid but the keys
 * were only ever in memory. Fetches the sealed bundle with the session and opens
 * it locally, so no new session is created.
 */
export async function unlock(user: User, passphrase: string, onProgress: ProgressFn = () => {}): Promise<Unlocked> {
  if (passphrase.length === 0) throw new AccountError('Enter your passphrase.', 'passphrase');
  const username = user.username;

  onProgress('Fetching your sealed keys…');
  const { kdfParams, keyBundle } = await api.bundle();
  const params = decodeServerKdfParams(kdfParams);
  const expected = publishedKeys(user, username);

  onProgress('Deriving keys (this takes a moment)…');
  await pause();
  const { authKey, wrapKey } = await deriveAccountKeys(passphrase, username, params);
  try {
    onProgress('Unlocking your keys…');
    await pause();
    const opened = openBundle(
      keyBundle,
      wrapKey,
      username,
      expected,
      new AccountError('Wrong passphrase', 'passphrase'),
    );
    const vault = new BundleVault(user.id, opened.identity, wrapKey.slice(), fromBase64(keyBundle), opened.extensions);
    return { user, identity: opened.identity, vault };
  } finally {
    wipe(authKey, wrapKey);
  }
}

// ---------------------------------------------------------------------------
// Change passphrase

export async function changePassphrase(
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
  // Prefer the keys already unlocked in this tab: they were verified at log-in.
  const expected: PublicKeys = knownIdentity
    ? { signPublicKey: knownIdentity.signPublicKey, boxPublicKey: knownIdentity.boxPublicKey }
    : publishedKeys(user, username);

  onProgress('Checking your current passphrase (this takes a moment)…');
  await pause();
  const oldKeys = await deriveAccountKeys(current, username, oldParams);
  let newKeys: { authKey: Uint8Array; wrapKey: Uint8Array } | null = null;
  try {
    const opened = openBundle(
      keyBundle,
      oldKeys.wrapKey,
      username,
      expected,
      new AccountError('Your current passphrase is wrong.', 'current-passphrase'),
    );

    onProgress('Deriving keys from your new passphrase (this takes a moment)…');
    await pause();
    const newParams = newKdfParams();
    newKeys = await deriveAccountKeys(next, username, newParams);
    // Same identity, same extensions: only the wrapping changes.
    const sealed = sealKeyBundle(opened.identity, newKeys.wrapKey, opened.extensions);

    onProgress('Saving…');
    let result;
    try {
      result = await api.changePassphrase({
        currentAuthKey: toBase64(oldKeys.authKey),
        kdfParams: toBase64(encodeKdfParams(newParams)),
        authKey: toBase64(newKeys.authKey),
        keyBundle: toBase64(sealed),
      });
    } catch (error) {
      rethrowCredentials(error, 'Your current passphrase is wrong.', 'current-passphrase');
    }
    const vault = new BundleVault(result.user.id, opened.identity, newKeys.wrapKey.slice(), sealed, opened.extensions);
    return { user: result.user, identity: opened.identity, vault };
  } finally {
    wipe(oldKeys.authKey, oldKeys.wrapKey);
    if (newKeys) wipe(newKeys.authKey, newKeys.wrapKey);
  }
}

// ---------------------------------------------------------------------------
// Sessions and invites

/** false when the session had already ended (so there was nothing left to log out of). */
async function endedBySession(request: Promise<void>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.status === 401 &&
      (error.code === 'session_expired' || error.code === 'not_logged_in')
    ) {
      return false;
    }
    throw error;
  }
}

/** Ends this browser's session. Resolves to false if it had already ended. */
export function logOut(): Promise<boolean> {
  return endedBySession(api.logout());
}

/** Ends every session of the account. Resolves to false if this session had already ended. */
export function logOutEverywhere(): Promise<boolean> {
  return endedBySession(api.logoutAll());
}

export async function listSessions(): Promise<Session[]> {
  const { sessions } = await api.sessions();
  return sessions;
}

export async function endSession(id: string): Promise<void> {
  await api.endSession(id);
}

/** Pages a log-in may send the person back to (anything else: the chat). */
const RETURN_PATHS = /^\/(chat\/(#room=[0-9a-f-]{36})?|account\/(passphrase\/)?)$/;

/**
 * Where to go after logging in or unlocking: the `next` path in the fragment
 * ("#next=%2Fchat%2F%23room%3D…"), when it is one of our own pages; else /chat/.
 * The fragment never reaches the server, and only known local paths are followed.
 */
export function afterLoginPath(hash: string): string {
  const match = /(?:^#|&)next=([^&]*)/.exec(hash);
  if (match) {
    try {
      const next = decodeURIComponent(match[1] ?? '');
      if (RETURN_PATHS.test(next)) return next;
    } catch {
      // not valid percent-encoding: ignore it
    }
  }
  return '/chat/';
}

export function inviteLink(token: string): string {
  return `${window.location.origin}/signup/#invite=${encodeURIComponent(token)}`;
}

/** Reads an invite token from a URL fragment ("#invite=...") or a pasted link or token. */
export function parseInviteToken(input: string): string | null {
  const text = input.trim();
  if (text.length === 0) return null;
  const hashIndex = text.indexOf('#');
  const fragment = hashIndex >= 0 ? text.slice(hashIndex + 1) : text;
  for (const part of fragment.split('&')) {
    if (part.startsWith('invite=')) {
      try {
        const token = decodeURIComponent(part.slice('invite='.length)).trim();
        return token.length > 0 ? token : null;
      } catch {
        return null;
      }
    }
  }
  // A bare token (no "#", no "=" prefix, no spaces) pasted on its own.
  if (hashIndex < 0 && !text.includes('/') && !/\s/.test(text)) return text;
  return null;
}

export async function createInvite(): Promise<{ invite: Invite; token: string; link: string }> {
  const { invite, token } = await api.createInvite();
  return { invite: { ...invite, usedAt: null }, token, link: inviteLink(token) };
}

export async function listInvites(): Promise<Invite[]> {
  const { invites } = await api.invites();
  return invites;
}

export async function revokeInvite(id: string): Promise<void> {
  await api.revokeInvite(id);
}

// ---------------------------------------------------------------------------
// Turning any failure into a sentence for the page

export function errorMessage(error: unknown): string {
  if (error instanceof AccountError) return error.message;
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'wrong_credentials':
        return WRONG_CREDENTIALS_MESSAGE;
      case 'rate_limited':
        return error.retryAfter !== null && error.retryAfter > 0
          ? `Too many attempts. Try again in ${formatWait(error.retryAfter)}.`
          : 'Too many attempts. Wait a little and try again.';
      case 'session_expired':
      case 'not_logged_in':
        return 'Your session has ended. Log in again.';
      case 'username_taken':
        return 'That username is already taken. Try another one.';
      case 'invite_required':
        return 'Registration here is invite-only: you need an invite link from an existing member.';
      case 'invalid_invite':
        return 'This invite link is not valid any more (it may have been used, revoked or expired). Ask for a new one.';
      default:
        return error.message;
    }
  }
  if (error instanceof ProtocolError) {
    return `A cryptographic check failed (${error.code}). Try again.`;
  }
  if (error instanceof Error && error.message) return `Something went wrong: ${error.message}`;
  return 'Something went wrong. Try again.';
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The form field an error belongs to, if any (to focus it and mark it invalid). */
export function errorField(error: unknown): FormField | null {
  if (error instanceof AccountError) return error.field;
  if (error instanceof ApiError && error.code === 'username_taken') return 'username';
  return null;
}
