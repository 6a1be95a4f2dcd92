import { Injectable } from '@nestjs/common';
import type { Answer, Room, WrappedKeyRecord } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { publicUserView } from '../users/user.view.js';
import { RoomsRepository } from './rooms.repository.js';

@Injectable()
export class RoomsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly rooms: RoomsRepository,
    private readonly realtime: RealtimeService,
  ) {}

  /** The caller's rooms: listing is scoped to the caller, so it needs no further check. */
  async list(actor: Actor): Promise<Room[]> {
    const [rooms, unread] = await Promise.all([
      this.rooms.listForUser(actor.userId),
      this.rooms.unreadCounts(actor.userId),
    ]);
    return rooms.map((room) => ({
      id: room.id,
      kind: room.kind,
      epoch: room.epoch,
      lastSeq: Number(room.lastSeq),
      lastReadSeq: Number(room.members.find((m) => m.userId === actor.userId)?.lastReadSeq ?? 0n),
      unread: unread.get(room.id) ?? 0,
      members: room.members.map((m) => publicUserView(m.user)),
    }));
  }

  async keys(actor: Actor, roomId: string): Promise<WrappedKeyRecord[]> {
    await this.access.requireMember(actor, roomId);
    const keys = await this.rooms.keysFor(roomId, actor.userId);
    return keys.map((k) => ({ epoch: k.epoch, wrapperId: k.wrapperId, record: toBase64(k.record) }));
  }

  async markRead(actor: Actor, roomId: string, seq: number): Promise<Answer<'markRead'>> {
    await this.access.requireMember(actor, roomId);
    const lastReadSeq = Number(await this.rooms.markRead(roomId, actor.userId, BigInt(seq)));
    this.realtime.toUsers([actor.userId], 'room:read', { roomId, lastReadSeq });
    return { lastReadSeq };
  }
}
