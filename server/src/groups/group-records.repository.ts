import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';
import type { DbTx } from '../db/transactions.js';
import { FIRST_EPOCH, GROUP_ROOM, type WrappedKey } from '../rooms/rooms.repository.js';

/** A group record as it is filed: the signed bytes and the fields the server reads from them. */
export interface FiledRecord {
  index: number;
  record: Uint8Array;
  signerId: string;
  action: string;
  epoch: number;
}

export interface NewGroup {
  roomId: string;
  creatorId: string;
  memberIds: string[];
  /** The room key of epoch 1, wrapped by the creator for every member. */
  keys: WrappedKey[];
  record: FiledRecord;
}

/** Groups' records and the membership they change. The caller holds the room's lock (RoomsRepository.lock). */
@Injectable()
export class GroupRecordsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The group's room, its members, its first record and epoch 1's keys. */
  create(group: NewGroup, tx: DbTx) {
    const { record } = group;
    return tx.room.create({
      data: {
        id: group.roomId,
        kind: GROUP_ROOM,
        epoch: FIRST_EPOCH,
        members: { create: group.memberIds.map((userId) => ({ userId })) },
        keys: {
          create: group.keys.map((k) => ({
            epoch: FIRST_EPOCH,
            memberId: k.memberId,
            wrapperId: group.creatorId,
            record: dbBytes(k.record),
          })),
        },
        records: { create: { ...record, record: dbBytes(record.record), afterSeq: 0n } },
      },
    });
  }

  /** Up to `limit` records after index `after` (all from the first when null), in index order. */
  page(roomId: string, after: number | null, limit: number) {
    return this.db.groupRecord.findMany({
      where: { roomId, ...(after === null ? {} : { index: { gt: after } }) },
      orderBy: { index: 'asc' },
      take: limit,
      select: { index: true, record: true, afterSeq: true },
    });
  }

  /** The signed bytes of every record after index `after` (-1: all), in index order. */
  async bytesAfter(roomId: string, after: number): Promise<Uint8Array[]> {
    const rows = await this.db.groupRecord.findMany({
      where: { roomId, index: { gt: after } },
      orderBy: { index: 'asc' },
      select: { record: true },
    });
    return rows.map((row) => row.record);
  }

  async lastIndex(roomId: string, tx: DbTx): Promise<number | null> {
    const last = await tx.groupRecord.findFirst({
      where: { roomId },
      orderBy: { index: 'desc' },
      select: { index: true },
    });
    return last?.index ?? null;
  }

  /** Files the record after message `afterSeq` and moves the room to its epoch. */
  async file(roomId: string, record: FiledRecord, afterSeq: bigint, tx: DbTx): Promise<void> {
    await tx.groupRecord.create({ data: { roomId, ...record, record: dbBytes(record.record), afterSeq } });
    await tx.room.update({ where: { id: roomId }, data: { epoch: record.epoch } });
  }

  /**
   * New members have read, and were delivered, everything before they joined (`lastSeq`):
   * they hold no key for it.
   */
  addMembers(roomId: string, userIds: string[], lastSeq: bigint, tx: DbTx) {
    return tx.roomMember.createMany({
      data: userIds.map((userId) => ({ roomId, userId, lastReadSeq: lastSeq, deliveredSeq: lastSeq })),
    });
  }

  removeMembers(roomId: string, userIds: string[], tx: DbTx) {
    return tx.roomMember.deleteMany({ where: { roomId, userId: { in: userIds } } });
  }
}
