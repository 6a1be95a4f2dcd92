// Delivered and read receipts (PROTOCOL.md §22): each member keeps one sealed, signed
// receipt per room here, replaced by the next. The server cannot read one; it checks
// only what it can see in the clear, that the envelope is a receipt-sized message
// naming this room and its sender, and passes it on to the other members.

import { Injectable } from '@nestjs/common';
import type { Answer } from '@onionchat/contract';
import {
  MESSAGE_MIN_ENVELOPE_BYTES,
  ProtocolError,
  fromBase64,
  readMessageHeader,
  toBase64,
} from '@onionchat/protocol';
import { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { badRequest } from '../common/api-error.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomsRepository } from '../rooms/rooms.repository.js';
import { ReceiptsRepository } from './receipts.repository.js';
import type { ReceiptBody } from './receipts.schemas.js';

@Injectable()
export class ReceiptsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly receipts: ReceiptsRepository,
    private readonly rooms: RoomsRepository,
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

  async save(actor: Actor, roomId: string, body: ReceiptBody): Promise<void> {
    await this.access.requireMember(actor, roomId);
    const envelope = receiptEnvelope(body.envelope, roomId, actor.userId);
    await this.receipts.save(roomId, actor.userId, envelope);
    const memberIds = await this.rooms.memberIds(roomId);
    const others = memberIds.filter((id) => id !== actor.userId);
    this.realtime.toUsers(others, 'receipt:new', { roomId, userId: actor.userId, envelope: body.envelope });
  }
}

const NOT_A_RECEIPT = `envelope: a receipt is a sealed message of exactly ${MESSAGE_MIN_ENVELOPE_BYTES} bytes.`;

function receiptEnvelope(text: string, roomId: string, senderId: string): Uint8Array {
  let envelope: Uint8Array;
  try {
    envelope = fromBase64(text);
  } catch {
    throw badRequest('envelope: must be base64');
  }
  if (envelope.length !== MESSAGE_MIN_ENVELOPE_BYTES) throw badRequest(NOT_A_RECEIPT, 'invalid_record');
  try {
    const header = readMessageHeader(envelope);
    if (header.roomId !== roomId || header.senderId !== senderId) {
      throw badRequest('envelope: its header does not name this conversation and you as sender.', 'invalid_record');
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw badRequest(`envelope: ${err.message}`, 'invalid_record');
    throw err;
  }
  return envelope;
}
