import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';
import { CONFIG, type Config } from '../config/config.js';
import { liveWhere } from '../retention/live.js';

export interface NewFile {
  roomId: string;
  uploaderId: string;
  size: bigint;
  /** The uploader's disappearing timer; null: kept. */
  disappearsAt: Date | null;
}

/**
 * Files that disappeared (or passed RETENTION_MAX_DAYS) are not found, by the access
 * checks either: gone for everyone at once, before RetentionSweeper deletes their bytes.
 */
@Injectable()
export class FilesRepository {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DB) private readonly db: Db,
  ) {}

  create(file: NewFile, expiresAt: Date, tx?: DbTx) {
    return (tx ?? this.db).storedFile.create({ data: { ...file, expiresAt } });
  }

  /**
   * Locks the uploader's user row until the transaction ends, so one user's quota checks
   * and reservations run one at a time. NO KEY UPDATE leaves rows that merely refer to the
   * user (sessions, messages) free to be written meanwhile.
   */
  async lockQuota(uploaderId: string, tx: DbTx): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE id = ${uploaderId}::uuid FOR NO KEY UPDATE`;
  }

  findById(id: string) {
    return this.db.storedFile.findFirst({ where: { id, ...this.live() } });
  }

  listForRoom(roomId: string) {
    return this.db.storedFile.findMany({ where: { roomId, ...this.live() }, orderBy: { createdAt: 'asc' } });
  }

  async bytesHeldBy(uploaderId: string, tx?: DbTx): Promise<bigint> {
    const { _sum } = await (tx ?? this.db).storedFile.aggregate({ where: { uploaderId }, _sum: { size: true } });
    return _sum.size ?? 0n;
  }

  /** Records progress only if nobody else moved it meanwhile; returns the new row or null. */
  async advance(id: string, from: bigint, to: bigint, done: boolean, expiresAt: Date) {
    const { count } = await this.db.storedFile.updateMany({
      where: { id, received: from, status: 'uploading' },
      data: done
        ? { received: to, status: 'ready', readyAt: new Date(), expiresAt: null }
        : { received: to, expiresAt },
    });
    return count === 1 ? this.findById(id) : null;
  }

  delete(id: string) {
    return this.db.storedFile.deleteMany({ where: { id } });
  }

  expiredUploads(now: Date) {
    return this.db.storedFile.findMany({
      where: { status: 'uploading', expiresAt: { lt: now } },
      select: { id: true },
    });
  }

  async existing(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.storedFile.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  private live() {
    return liveWhere(this.config.RETENTION_MAX_DAYS);
  }
}
