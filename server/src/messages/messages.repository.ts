import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';

export interface NewMessage {
  roomId: string;
  senderId: string;
  clientId: string;
  epoch: number;
  envelope: Uint8Array;
}

@Injectable()
export class MessagesRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  findBySenderClientId(senderId: string, clientId: string) {
    return this.db.message.findUnique({ where: { senderId_clientId: { senderId, clientId } } });
  }

  /**
   * Stores the message under the room's next sequence number. Incrementing the room row
   * locks it, so concurrent sends to one room get consecutive numbers in commit order.
   */
  append(message: NewMessage) {
    return this.db.$transaction(async (tx) => {
      const room = await tx.room.update({
        where: { id: message.roomId },
        data: { lastSeq: { increment: 1 } },
        select: { lastSeq: true },
      });
      return tx.message.create({ data: { ...message, envelope: dbBytes(message.envelope), seq: room.lastSeq } });
    });
  }

  after(roomId: string, afterSeq: bigint, limit: number) {
    return this.db.message.findMany({ where: { roomId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
  }

  async before(roomId: string, beforeSeq: bigint, limit: number) {
    const rows = await this.db.message.findMany({
      where: { roomId, seq: { lt: beforeSeq } },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse();
  }
}
