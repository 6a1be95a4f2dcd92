import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { notFound, unauthorized } from '../common/api-error.js';
import { AuthService } from '../auth/auth.service.js';
import { hashAuthKey } from '../auth/auth-hash.js';
import { checkKdfParams } from '../auth/records.js';
import { SessionsService } from '../auth/sessions.service.js';
import type { PassphraseChangeRequest } from '../auth/auth.schemas.js';
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

  async sessionsOf(actor: Actor) {
    const sessions = await this.sessions.list(actor);
    return sessions.map((s) => ({ ...s, current: s.id === actor.sessionId }));
  }

  async endSession(actor: Actor, id: string): Promise<void> {
    if (!(await this.sessions.end(actor, id))) throw notFound('No such session.');
  }

  get maxBundleBytes(): number {
    return this.config.KEY_BUNDLE_MAX_BYTES;
  }
}
