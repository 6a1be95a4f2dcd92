// Single-use invite links. The token is random, shown once, and only its hash is kept;
// it travels in the link's #fragment so it never reaches a log or a Referer header.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Answer, Invite } from '@onionchat/contract';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { ApiError, notFound } from '../common/api-error.js';
import { hashToken, isToken, newToken } from '../security/tokens.js';
import { UsersRepository } from '../users/users.repository.js';
import type { DbTx } from '../db/transactions.js';
import { InvitesRepository, type InviteKind } from './invites.repository.js';

const HOUR = 3_600_000;

@Injectable()
export class InvitesService {
  private readonly logger = new Logger('Invites');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly invites: InvitesRepository,
    private readonly users: UsersRepository,
  ) {}

  async create(actor: Actor): Promise<Answer<'createInvite'>> {
    const open = await this.invites.countOpenForUser(actor.userId, new Date());
    if (open >= this.config.MAX_OPEN_INVITES_PER_USER) {
      throw new ApiError(
        409,
        'too_many_invites',
        `You already have ${open} unused invite links; revoke one or wait until one is used or expires.`,
      );
    }
    const { token, invite } = await this.mint('member', actor.userId);
    return {
      token,
      invite: { id: invite.id, createdAt: invite.createdAt.toISOString(), expiresAt: invite.expiresAt.toISOString() },
    };
  }

  async list(actor: Actor): Promise<Invite[]> {
    const invites = await this.invites.listForUser(actor.userId);
    return invites.map((i) => ({
      id: i.id,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
      // A used invite is deleted (InvitesRepository), so every invite listed is unused.
      usedAt: null,
    }));
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const { count } = await this.invites.deleteUnused(actor.userId, id);
    if (count === 0) throw notFound('No unused invite with that id.');
  }

  /** For the operator's invite command. */
  async createForOperator(): Promise<string> {
    return (await this.mint('operator', null)).token;
  }

  /**
   * On a service with no accounts yet, a fresh single-use invite for the first account
   * (earlier unused first-account invites are withdrawn so only the newest link works).
   */
  async firstAccountInvite(): Promise<string | null> {
    if (this.config.REGISTRATION !== 'invite' || (await this.users.count()) > 0) return null;
    await this.invites.deleteUnusedOfKind('first-account');
    return (await this.mint('first-account', null)).token;
  }

  /**
   * Inside the sign-up transaction: true when the token was open and is now used (and
   * gone). Nothing records who used it, so the server keeps no graph of who invited whom.
   */
  consume(token: string, tx?: DbTx): Promise<boolean> {
    if (!isToken(token)) return Promise.resolve(false);
    return this.invites.consume(hashToken(token), new Date(), tx);
  }

  private async mint(kind: InviteKind, createdById: string | null) {
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.INVITE_TTL_HOURS * HOUR);
    const invite = await this.invites.create(kind, hashToken(token), expiresAt, createdById);
    this.logger.log(`${kind} invite created`);
    return { token, invite };
  }
}

export function inviteLink(origin: string, token: string): string {
  return `${origin.replace(/\/$/, '')}/signup/#invite=${token}`;
}
