import { Inject, Injectable } from '@nestjs/common';
import type { Session } from '@onionchat/contract';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import {
  PUBLIC_KEYS_V2,
  decodePublicKeys,
  equalBytes,
  bundleDigest,
  verifyBundleUpdate,
  type PublicKeys,
} from '@onionchat/protocol';
import { badRequest, conflict, notFound, unauthorized } from '../common/api-error.js';
import { AuthService } from '../auth/auth.service.js';
import { hashAuthKey } from '../auth/auth-hash.js';
import { checkKdfParams, checkPublicKeys } from '../auth/records.js';
import { SessionsService } from '../auth/sessions.service.js';
import type { PassphraseChangeRequest } from '../auth/auth.schemas.js';
import type { BundleUpdateRequest, DeleteAccountRequest, PublishKeysRequest } from './account.schemas.js';
import { UsersRepository } from '../users/users.repository.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { Transactions } from '../db/transactions.js';
import { deleteBytesOf, FILE_STORAGE, type FileStorage } from '../files/file-storage.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomsRepository } from '../rooms/rooms.repository.js';
import { AccountDeletionRepository } from './account-deletion.repository.js';

@Injectable()
export class AccountService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
    private readonly deletion: AccountDeletionRepository,
    private readonly rooms: RoomsRepository,
    private readonly transactions: Transactions,
    private readonly realtime: RealtimeService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  async me(actor: Actor) {
    const user = await this.users.findById(actor.userId);
    // The session guard found the session, so a missing user means it was just deleted.
    if (!user) throw unauthorized('session_expired', 'Your account no longer exists.');
    return user;
  }

  /**
   * New passphrase: the client proves the current one, then sends new KDF parameters,
   * auth key and the same identity re-sealed. Other sessions end; this one stays.
   * Its own budget bounds the slow hashes it runs and the guesses a stolen session could
   * make at the current passphrase; the log-in limit never applies here.
   */
  async changePassphrase(actor: Actor, body: PassphraseChangeRequest) {
    checkKdfParams(body.kdfParams);
    await this.limiter.consume('passphrase-changes', actor.userId);
    await this.auth.verifyCurrent(actor.userId, body.currentAuthKey);
    const authHash = await hashAuthKey(body.authKey, this.auth.hashParams);
    const user = await this.users.replaceCredentials(actor.userId, actor.sessionId, {
      kdfParams: body.kdfParams,
      authHash,
      keyBundle: body.keyBundle,
    });
    await this.sessions.disconnectOthers(actor);
    return user;
  }

  /**
   * A re-sealed bundle (the client's contact pins changed). The server cannot read
   * it, so it checks what it can: the account's own signing key signed this exact
   * replacement of the bundle stored now. A stolen session cannot overwrite the
   * keys, and a stale or replayed update is refused with 409 for the client to merge.
   */
  async replaceBundle(actor: Actor, body: BundleUpdateRequest): Promise<void> {
    const user = await this.me(actor);
    const current = new Uint8Array(user.keyBundle);
    if (!equalBytes(bundleDigest(current), body.replaces)) throw bundleChanged();
    const { signPublicKey } = decodePublicKeys(new Uint8Array(user.publicKeys), user.username, user.id);
    if (!verifyBundleUpdate(signPublicKey, user.id, current, body.keyBundle, body.signature)) {
      throw badRequest('The key bundle update is not signed by this account’s key.', 'bad_signature');
    }
    if (!(await this.users.replaceBundle(user.id, current, body.keyBundle))) throw bundleChanged();
  }

  /**
   * Publishes a v2 public keys record (it adds the ML-KEM key) for an account whose
   * client upgraded it. Only the record changes, never the identity: a stolen session
   * could otherwise swap in keys of its own and read what friends send from then on.
   * The same record again is accepted, so a client that crashed after publishing can
   * simply repeat the step.
   */
  async publishKeys(actor: Actor, body: PublishKeysRequest) {
    const user = await this.me(actor);
    const next = checkPublicKeys(body.publicKeys, user.username, user.id);
    if (next.version !== PUBLIC_KEYS_V2) {
      throw badRequest(
        'Only a version 2 public keys record (with an ML-KEM key) can replace the published one.',
        'invalid_record',
      );
    }
    const current = decodePublicKeys(new Uint8Array(user.publicKeys), user.username, user.id);
    if (!sameIdentity(current, next)) {
      throw badRequest(
        'The new public keys record must keep this account’s identity keys; only the ML-KEM key may be added.',
        'key_mismatch',
      );
    }
    return this.users.replacePublicKeys(user.id, body.publicKeys);
  }

  /**
   * Deletes the account for good, after the same proof of the passphrase a passphrase
   * change asks for (and from the same budget, so a stolen session cannot guess faster
   * through this route). In one transaction: the direct rooms with both sides' history
   * (as removing a friend does), then the user row, whose sessions, keys, requests, blocks,
   * invites, memberships and messages cascade, then groups nobody is left in. The files'
   * bytes go after the commit; any the store could not delete then, the file sweeper
   * removes (their records are gone).
   */
  async deleteAccount(actor: Actor, body: DeleteAccountRequest): Promise<void> {
    await this.limiter.consume('passphrase-changes', actor.userId);
    await this.auth.verifyCurrent(actor.userId, body.currentAuthKey);
    const { plan, fileIds } = await this.transactions.run(async (tx) => {
      const plan = await this.deletion.plan(actor.userId, tx);
      await this.rooms.deleteDirectWith(actor.userId, plan.friendIds, tx);
      await this.deletion.deleteUser(actor.userId, tx);
      const groupFiles = await this.deletion.deleteEmptyGroups(plan.groupIds, tx);
      return { plan, fileIds: [...plan.fileIds, ...groupFiles] };
    });
    await this.sessions.endAll(actor);
    this.realtime.toUsers([...new Set([...plan.friendIds, ...plan.requestPartyIds])], 'friends:changed', {});
    await deleteBytesOf(this.storage, fileIds);
  }

  async sessionsOf(actor: Actor): Promise<Session[]> {
    const sessions = await this.sessions.list(actor);
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === actor.sessionId,
    }));
  }

  async endSession(actor: Actor, id: string): Promise<void> {
    if (!(await this.sessions.end(actor, id))) throw notFound('No such session.');
  }

  get maxBundleBytes(): number {
    return this.config.KEY_BUNDLE_MAX_BYTES;
  }
}

function sameIdentity(a: PublicKeys, b: PublicKeys): boolean {
  return equalBytes(a.signPublicKey, b.signPublicKey) && equalBytes(a.boxPublicKey, b.boxPublicKey);
}

function bundleChanged() {
  return conflict(
    'bundle_changed',
    'Your keys were updated from another session meanwhile. Reload them and try again.',
  );
}
