// Delivered and read receipts (PROTOCOL.md §22): each member keeps one sealed, signed
// receipt per room here, replaced by the next. The server cannot read one; it checks
// only what it can see in the clear, that the envelope is a receipt-sized message (the
// body's schema) naming this room and its sender, and passes it on to the other members.

import { Injectable } from '@nestjs/common';
import type { Answer } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';
import { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { badRequest } from '../common/api-error.js';
import { envelopeHeader } from '../messages/envelope-header.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { ReceiptsRepository } from './receipts.repository.js';
import type { ReceiptBody } from './receipts.schemas.js';

@Injectable()
export class ReceiptsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly receipts: ReceiptsRepository,
    private readonly realtime: RealtimeService,
  ) {}

  async list(actor: Actor, roomId: string): Promise<Answer<'receipts'>> {
    await this.access.requireMember(actor, roomId);
    const rows = await this.receipts.forRoom(roomId);
    return {
      receipts: rows.map((row) => ({
        userId: row.userId,
        envelope: toBase64(row.envelope),
        updatedAt: row.updatedAt.toISOString(),
      })),
    };
  }

  async save(actor: Actor, roomId: string, { envelope }: ReceiptBody): Promise<void> {
    // Membership first: a stranger learns nothing but 404, whatever the envelope says.
    const memberIds = await this.access.requireMemberIds(actor, roomId);
    const header = envelopeHeader(envelope);
    if (header.roomId !== roomId || header.senderId !== actor.userId) {
      throw badRequest('envelope: its header does not name this conversation and you as sender.', 'invalid_record');
    }
    await this.receipts.save(roomId, actor.userId, envelope);
    const others = memberIds.filter((id) => id !== actor.userId);
    this.realtime.toUsers(others, 'receipt:new', { roomId, userId: actor.userId, envelope: toBase64(envelope) });
  }
}
