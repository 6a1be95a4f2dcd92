import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';

export type InviteKind = 'member' | 'operator' | 'first-account';

/**
 * Only open invites have rows: using one deletes it, so the database never records who
 * invited whom. (Expired ones stay, as their maker's list shows them, until revoked.)
 */
@Injectable()
export class InvitesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  create(kind: InviteKind, tokenHash: Uint8Array, expiresAt: Date, createdById: string | null) {
    return this.db.invite.create({ data: { kind, tokenHash: dbBytes(tokenHash), expiresAt, createdById } });
  }

  listForUser(userId: string) {
    return this.db.invite.findMany({
      where: { createdById: userId },
      orderBy: { createdAt: 'desc' },
      select: { id: true, createdAt: true, expiresAt: true },
    });
  }

  countOpenForUser(userId: string, now: Date) {
    return this.db.invite.count({ where: { createdById: userId, expiresAt: { gt: now } } });
  }

  deleteUnused(userId: string, id: string) {
    return this.db.invite.deleteMany({ where: { id, createdById: userId } });
  }

  deleteUnusedOfKind(kind: InviteKind) {
    return this.db.invite.deleteMany({ where: { kind } });
  }

  /**
   * Uses up the invite if it is still open, by deleting it (inside the sign-up
   * transaction, so a failed sign-up leaves it open); false when it was not open.
   */
  async consume(tokenHash: Uint8Array, now: Date, tx?: DbTx): Promise<boolean> {
    const { count } = await (tx ?? this.db).invite.deleteMany({
      where: { tokenHash: dbBytes(tokenHash), expiresAt: { gt: now } },
    });
    return count === 1;
  }
}
