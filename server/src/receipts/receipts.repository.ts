import { Inject, Injectable } from '@nestjs/common';
import { dbBytes, type Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';

@Injectable()
export class ReceiptsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The member's receipt replaces their previous one for the room. */
  save(roomId: string, userId: string, envelope: Uint8Array) {
    return this.db.receipt.upsert({
      where: { roomId_userId: { roomId, userId } },
      create: { roomId, userId, envelope: dbBytes(envelope) },
      update: { envelope: dbBytes(envelope) },
    });
  }

  /** The members' receipts (a member's receipt leaves with their membership). */
  forRoom(roomId: string) {
    return this.db.receipt.findMany({ where: { roomId }, orderBy: { userId: 'asc' } });
  }
}
