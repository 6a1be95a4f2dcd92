import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';

@Injectable()
export class BlocksRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  create(blockerId: string, blockedId: string, tx?: DbTx) {
    return (tx ?? this.db).block.createMany({ data: [{ blockerId, blockedId }], skipDuplicates: true });
  }

  delete(blockerId: string, blockedId: string) {
    return this.db.block.deleteMany({ where: { blockerId, blockedId } });
  }

  exists(blockerId: string, blockedId: string): Promise<boolean> {
    return this.db.block.count({ where: { blockerId, blockedId } }).then((n) => n > 0);
  }

  /** Of `userIds`, those `userId` blocked and those who blocked `userId`. */
  async between(userId: string, userIds: readonly string[]): Promise<{ blocked: Set<string>; blockedBy: Set<string> }> {
    const ids = [...userIds];
    const rows = await this.db.block.findMany({
      where: {
        OR: [
          { blockerId: userId, blockedId: { in: ids } },
          { blockerId: { in: ids }, blockedId: userId },
        ],
      },
      select: { blockerId: true, blockedId: true },
    });
    return {
      blocked: new Set(rows.filter((r) => r.blockerId === userId).map((r) => r.blockedId)),
      blockedBy: new Set(rows.filter((r) => r.blockedId === userId).map((r) => r.blockerId)),
    };
  }

  listBy(blockerId: string) {
    return this.db.block.findMany({
      where: { blockerId },
      include: { blocked: { select: { id: true, username: true } } },
      orderBy: { createdAt: 'desc' },
    });
  }
}
