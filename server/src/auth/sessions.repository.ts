import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  create(userId: string, tokenHash: Uint8Array, expiresAt: Date) {
    return this.db.session.create({ data: { userId, tokenHash: dbBytes(tokenHash), expiresAt } });
  }

  findByTokenHash(tokenHash: Uint8Array) {
    return this.db.session.findUnique({
      where: { tokenHash: dbBytes(tokenHash) },
      include: { user: { select: { username: true } } },
    });
  }

  touch(id: string, lastSeenAt: Date, expiresAt: Date) {
    return this.db.session.updateMany({ where: { id }, data: { lastSeenAt, expiresAt } });
  }

  listForUser(userId: string) {
    return this.db.session.findMany({
      where: { userId, expiresAt: { gt: new Date() } },
      orderBy: { lastSeenAt: 'desc' },
      select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true },
    });
  }

  delete(userId: string, id: string) {
    return this.db.session.deleteMany({ where: { id, userId } });
  }

  deleteAllForUser(userId: string, exceptId?: string) {
    return this.db.session.deleteMany({ where: { userId, ...(exceptId ? { id: { not: exceptId } } : {}) } });
  }

  deleteExpired(now: Date) {
    return this.db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  }
}
