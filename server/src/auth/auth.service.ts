// Sign-up and log-in. The server only ever sees the auth key derived in the browser,
// stores a slow hash of it, and answers the same way for unknown users and wrong
// passphrases (same message, same work), so neither reveals who has an account.
// Log-in attempts are limited per account and client (login-limit.ts); the server-wide
// sign-up budget counts only accounts actually created, so refused or malformed sign-ups
// cannot spend it.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CONFIG, type Config } from '../config/config.js';
import { conflict, forbidden, unauthorized } from '../common/api-error.js';
import { ServerSecretsRepository } from '../secrets/server-secrets.repository.js';
import { InvitesService } from '../invites/invites.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { Transactions } from '../db/transactions.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { hashAuthKey, needsRehash, verifyAuthKey, type HashParams } from './auth-hash.js';
import { decoyKdfParams } from './decoy-kdf.js';
import { checkKdfParams, checkPublicKeys } from './records.js';
import { SessionsService } from './sessions.service.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { admitLogin } from './login-limit.js';
import type { SignupRequest } from './auth.schemas.js';

const wrongCredentials = () => unauthorized('wrong_credentials', 'Wrong username or passphrase.');

@Injectable()
export class AuthService implements OnModuleInit {
  private dummyHash = '';

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly invites: InvitesService,
    private readonly secrets: ServerSecretsRepository,
    private readonly transactions: Transactions,
    private readonly limiter: RateLimiter,
  ) {}

  get hashParams(): HashParams {
    return { logN: this.config.AUTH_HASH_LOG_N, r: this.config.AUTH_HASH_R, p: this.config.AUTH_HASH_P };
  }

  async onModuleInit(): Promise<void> {
    // Verified against when the username is unknown, so both paths cost the same.
    this.dummyHash = await hashAuthKey(randomBytes(32), this.hashParams);
  }

  async kdfParams(username: string): Promise<Uint8Array> {
    const user = await this.users.findByUsername(username);
    return user ? user.kdfParams : decoyKdfParams(await this.secrets.get('decoy-kdf'), username);
  }

  async signUp(body: SignupRequest) {
    checkKdfParams(body.kdfParams);
    checkPublicKeys(body.publicKeys, body.username, body.userId);
    if (this.config.REGISTRATION === 'invite' && !body.inviteToken) {
      throw forbidden('invite_required', 'This server is invite-only: open the invite link you were given.');
    }
    const authHash = await hashAuthKey(body.authKey, this.hashParams);
    const { inviteToken, authKey: _authKey, userId, ...record } = body;
    const user = await this.createUser(
      { ...record, id: userId, authHash },
      this.config.REGISTRATION === 'invite' ? inviteToken : undefined,
    );
    return { user, session: await this.sessions.start(user.id) };
  }

  /** `client`: who is trying (clientKey), for the log-in limit. */
  async logIn(username: string, authKey: Uint8Array, client: string) {
    await admitLogin(this.limiter, username, client);
    const user = await this.users.findByUsername(username);
    const ok = await verifyAuthKey(authKey, user?.authHash ?? this.dummyHash);
    if (!user || !ok) throw wrongCredentials();
    if (needsRehash(user.authHash, this.hashParams)) {
      await this.users.updateAuthHash(user.id, await hashAuthKey(authKey, this.hashParams));
    }
    return { user, session: await this.sessions.start(user.id) };
  }

  /** Checks a logged-in user's current auth key (for sensitive changes). */
  async verifyCurrent(userId: string, authKey: Uint8Array): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || !(await verifyAuthKey(authKey, user.authHash))) {
      throw unauthorized('wrong_credentials', 'The current passphrase is wrong.');
    }
  }

  private async createUser(
    data: Omit<SignupRequest, 'authKey' | 'inviteToken' | 'userId'> & { id: string; authHash: string },
    inviteToken?: string,
  ) {
    try {
      return await this.transactions.run(async (tx) => {
        const user = await this.users.create(data, tx);
        if (inviteToken !== undefined && !(await this.invites.consume(inviteToken, tx))) {
          throw forbidden(
            'invalid_invite',
            'This invite link is not valid: it was already used, revoked or has expired.',
          );
        }
        // Last, so only an account that is otherwise made spends it; over the limit, it is rolled back.
        await this.limiter.consume('signup', 'server');
        return user;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw await this.takenConflict(data);
      throw err;
    }
  }

  /** Which unique key the new account collided with: the name (usual) or the id the client drew. */
  private async takenConflict(data: { id: string; username: string }) {
    if (!(await this.users.findByUsername(data.username)) && (await this.users.findById(data.id))) {
      return conflict(
        'user_id_taken',
        'The account id your browser chose is already in use. Sign up again: a new one will be drawn.',
      );
    }
    return conflict('username_taken', `The username "${data.username}" is taken. Choose another.`);
  }
}
