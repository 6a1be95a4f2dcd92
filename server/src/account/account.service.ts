import { Inject, Injectable } from '@nestjs/common';
import type { Session } from '@onionchat/contract';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { decodePublicKeys, equalBytes, bundleDigest, verifyBundleUpdate } from '@onionchat/protocol';
import { badRequest, conflict, notFound, unauthorized } from '../common/api-error.js';
import { AuthService } from '../auth/auth.service.js';
import { hashAuthKey } from '../auth/auth-hash.js';
import { checkKdfParams } from '../auth/records.js';
import { SessionsService } from '../auth/sessions.service.js';
import type { PassphraseChangeRequest } from '../auth/auth.schemas.js';
import type { BundleUpdateRequest } from './account.schemas.js';
import { UsersRepository } from '../users/users.repository.js';

@Injectable()
export class AccountService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
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
   */
  async changePassphrase(actor: Actor, body: PassphraseChangeRequest) {
    checkKdfParams(body.kdfParams);
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
    const { signPublicKey } = decodePublicKeys(new Uint8Array(user.publicKeys), user.username);
    if (!verifyBundleUpdate(signPublicKey, user.id, current, body.keyBundle, body.signature)) {
      throw badRequest('The key bundle update is not signed by this account’s key.', 'bad_signature');
    }
    if (!(await this.users.replaceBundle(user.id, current, body.keyBundle))) throw bundleChanged();
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

function bundleChanged() {
  return conflict(
    'bundle_changed',
    'Your keys were updated from another session meanwhile. Reload them and try again.',
  );
}
