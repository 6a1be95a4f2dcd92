import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';

export type InviteKind = 'member' | 'operator' | 'first-account';

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
      select: { id: true, createdAt: true, expiresAt: true, usedAt: true },
    });
  }

  countOpenForUser(userId: string, now: Date) {
    return this.db.invite.count({ where: { createdById: userId, usedAt: null, expiresAt: { gt: now } } });
  }

  deleteUnused(userId: string, id: string) {
    return this.db.invite.deleteMany({ where: { id, createdById: userId, usedAt: null } });
  }

  deleteUnusedOfKind(kind: InviteKind) {
    return this.db.invite.deleteMany({ where: { kind, usedAt: null } });
  }

  /** Marks the invite used by `userId` if it is still open; false when it was not. */
  async consume(tokenHash: Uint8Array, userId: string, now: Date, tx?: DbTx): Promise<boolean> {
    const { count } = await (tx ?? this.db).invite.updateMany({
      where: { tokenHash: dbBytes(tokenHash), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedById: userId },
    });
    return count === 1;
  }
}
