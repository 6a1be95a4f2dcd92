import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';

const PUBLIC_USER = { select: { id: true, username: true, publicKeys: true } } as const;

@Injectable()
export class FriendRequestsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  create(fromId: string, toId: string) {
    return this.db.friendRequest.create({ data: { fromId, toId } });
  }

  findById(id: string) {
    return this.db.friendRequest.findUnique({ where: { id } });
  }

  findFromTo(fromId: string, toId: string) {
    return this.db.friendRequest.findUnique({ where: { fromId_toId: { fromId, toId } } });
  }

  /** Incoming requests, leaving out those from people the recipient blocked. */
  listIncoming(userId: string) {
    return this.db.friendRequest.findMany({
      where: { toId: userId, from: { blockedBy: { none: { blockerId: userId } } } },
      include: { from: PUBLIC_USER },
      orderBy: { createdAt: 'desc' },
    });
  }

  listOutgoing(userId: string) {
    return this.db.friendRequest.findMany({
      where: { fromId: userId },
      include: { to: PUBLIC_USER },
      orderBy: { createdAt: 'desc' },
    });
  }

  delete(id: string, tx?: DbTx) {
    return (tx ?? this.db).friendRequest.deleteMany({ where: { id } });
  }

  deleteBetween(a: string, b: string, tx?: DbTx) {
    return (tx ?? this.db).friendRequest.deleteMany({
      where: {
        OR: [
          { fromId: a, toId: b },
          { fromId: b, toId: a },
        ],
      },
    });
  }
}
