// Account flows: everything that combines @onionchat/protocol with the HTTP API.
// Passphrases and derived keys stay in the flows' locals; only the auth key, the
// public-keys record and the sealed key bundle are sent to the server.

import type { Identity } from '@onionchat/protocol';
import type { Invite, Session, User } from '@onionchat/contract';
import { meansSessionLost } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';
import type { ContactLink } from '../trust/contact-link.js';
import { inviteLink } from './links.js';
import { changePassphrase } from './passphrase-change.js';
import type { ProgressFn, Unlocked } from './sealed-keys.js';
import { logIn, signUp, unlock } from './sign-in.js';

export { AccountError, WRONG_CREDENTIALS_MESSAGE, type FormField } from './account-error.js';
export { canonicalUsername, identityFingerprint, wipeIdentity } from './identity.js';
export { afterLoginPath, afterSignupPath, inviteLink, parseInviteToken, parseInviter, readInviter } from './links.js';
export { tamperedMessage, unsafeKdfMessage, type ProgressFn, type Unlocked } from './sealed-keys.js';

export class AccountFlows {
  /** `origin`: where this server is reached ("http://….onion"), for the links handed out. */
  constructor(
    private readonly api: Api,
    private readonly origin: string,
  ) {}

  /** Creates an account with a new identity. Throws AccountError (tied to a field when it is one's fault) or ApiError. */
  signUp(username: string, passphrase: string, inviteToken: string | null, onProgress?: ProgressFn): Promise<Unlocked> {
    return signUp(this.api, username, passphrase, inviteToken, onProgress);
  }

  /** Logs in (a new session) and opens the key bundle. */
  logIn(username: string, passphrase: string, onProgress?: ProgressFn): Promise<Unlocked> {
    return logIn(this.api, username, passphrase, onProgress);
  }

  /** Opens the key bundle of the session's account (`user`: from whoAmI) without a new session. */
  unlock(user: User, passphrase: string, onProgress?: ProgressFn): Promise<Unlocked> {
    return unlock(this.api, user, passphrase, onProgress);
  }

  /** Re-seals the same keys under a new passphrase. */
  changePassphrase(
    user: User,
    knownIdentity: Identity | null,
    current: string,
    next: string,
    onProgress?: ProgressFn,
  ): Promise<Unlocked> {
    return changePassphrase(this.api, user, knownIdentity, current, next, onProgress);
  }

  /** Whose session this is (the session cookie is HttpOnly: only the server can say). Throws ApiError. */
  async whoAmI(): Promise<User> {
    const { user } = await this.api.account();
    return user;
  }

  /** Ends this session. Resolves to false if it had already ended. */
  logOut(): Promise<boolean> {
    return endedBySession(this.api.logout());
  }

  /** Ends every session of the account. Resolves to false if this session had already ended. */
  logOutEverywhere(): Promise<boolean> {
    return endedBySession(this.api.logoutAll());
  }

  async listSessions(): Promise<Session[]> {
    const { sessions } = await this.api.sessions();
    return sessions;
  }

  async endSession(id: string): Promise<void> {
    await this.api.endSession(id);
  }

  /** `from`: this account's name and fingerprint, carried by the link (the new member can verify it). */
  async createInvite(from: ContactLink | null = null): Promise<{ invite: Invite; token: string; link: string }> {
    const { invite, token } = await this.api.createInvite();
    return { invite: { ...invite, usedAt: null }, token, link: inviteLink(this.origin, token, from) };
  }

  async listInvites(): Promise<Invite[]> {
    const { invites } = await this.api.invites();
    return invites;
  }

  async revokeInvite(id: string): Promise<void> {
    await this.api.revokeInvite(id);
  }
}

/** false when the session had already ended (so there was nothing left to log out of). */
async function endedBySession(request: Promise<void>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (error) {
    if (meansSessionLost(error)) return false;
    throw error;
  }
}
