import { Injectable } from '@nestjs/common';
import type { Answer, Room, WrappedKeyRecord } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { badRequest, conflict, notFound } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { Transactions } from '../db/transactions.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { roomView } from './room.view.js';
import { GROUP_ROOM, RoomsRepository } from './rooms.repository.js';
import type { StartEpochBody } from './rooms.schemas.js';
import { checkWrappedKeys } from './wrapped-keys.js';

const EPOCH_TAKEN =
  'Another member already started a new key for this conversation. Load the conversation again to use it.';
const NOT_A_GROUP = 'Delivered marks are kept for group conversations only, and this is a direct conversation.';
const GROUP_KEYS_TAKEN =
  "Another member already posted the keys of this group's current epoch, or the group has changed since. Load the group and its keys again.";

@Injectable()
export class RoomsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly rooms: RoomsRepository,
    private readonly realtime: RealtimeService,
    private readonly transactions: Transactions,
    private readonly limiter: RateLimiter,
  ) {}

  /** The caller's rooms: listing is scoped to the caller, so it needs no further check. */
  async list(actor: Actor): Promise<Room[]> {
    const [rooms, unread] = await Promise.all([
      this.rooms.listForUser(actor.userId),
      this.rooms.unreadCounts(actor.userId),
    ]);
    return rooms.map((room) => roomView(room, actor.userId, unread.get(room.id) ?? 0));
  }

  async keys(actor: Actor, roomId: string): Promise<WrappedKeyRecord[]> {
    await this.access.requireMember(actor, roomId);
    const keys = await this.rooms.keysFor(roomId, actor.userId);
    return keys.map((k) => ({ epoch: k.epoch, wrapperId: k.wrapperId, record: toBase64(k.record) }));
  }

  /**
   * A member starts the room's next key epoch (for example moving a conversation to a
   * hybrid key): exactly current + 1, one wrapped key per current member, all or nothing.
   * From then on messages must be sealed under the new epoch. A group's epochs move only
   * with its records; there a member posts the current epoch's keys (groupEpochKeys).
   */
  async startEpoch(actor: Actor, roomId: string, body: StartEpochBody): Promise<Answer<'startEpoch'>> {
    await this.access.requireMember(actor, roomId);
    // Filed under the messages budget: a new epoch stores data in the room like a message does.
    await this.limiter.consume('messages', actor.userId);
    const room = await this.rooms.findById(roomId);
    if (!room) throw notFound('No such conversation.');
    if (room.kind === GROUP_ROOM) return this.groupEpochKeys(actor, roomId, room.epoch, body);
    checkNextEpoch(room.epoch, body.epoch);
    const memberIds = await this.rooms.memberIds(roomId);
    checkWrappedKeys(body.keys, { roomId, epoch: body.epoch, wrapperId: actor.userId, memberIds }, 'keys');
    const started = await this.transactions.run((tx) =>
      this.rooms.startEpoch(roomId, body.epoch, actor.userId, body.keys, tx),
    );
    if (!started) throw conflict('epoch_taken', EPOCH_TAKEN);
    this.realtime.toUsers(memberIds, 'room:key', { roomId, epoch: body.epoch });
    return { epoch: body.epoch };
  }

  /**
   * After a leave a group is in an epoch whose key the leaver must not know, so a member
   * who stays wraps it for every member. The first complete set wins; any later one, or
   * one for an epoch the group has left, is 409. Checked again under the room's lock,
   * where the group's records change the epoch and the members.
   */
  private async groupEpochKeys(
    actor: Actor,
    roomId: string,
    current: number,
    body: StartEpochBody,
  ): Promise<Answer<'startEpoch'>> {
    if (body.epoch > current) {
      throw badRequest(
        `epoch: a group moves to a new key epoch only with a group record; its current epoch is ${current}.`,
      );
    }
    if (body.epoch < current) throw conflict('epoch_taken', GROUP_KEYS_TAKEN);
    const memberIds = await this.rooms.memberIds(roomId);
    checkWrappedKeys(body.keys, { roomId, epoch: body.epoch, wrapperId: actor.userId, memberIds }, 'keys');
    const filed = await this.transactions.run(async (tx) => {
      const room = await this.rooms.lock(roomId, tx);
      const members = await this.rooms.memberIds(roomId, tx);
      const same = members.length === memberIds.length && members.every((id) => memberIds.includes(id));
      if (room?.epoch !== body.epoch || !same || (await this.rooms.hasKeysFor(roomId, body.epoch, tx))) return false;
      await this.rooms.fileKeys(roomId, body.epoch, actor.userId, body.keys, tx);
      return true;
    });
    if (!filed) throw conflict('epoch_taken', GROUP_KEYS_TAKEN);
    this.realtime.toUsers(memberIds, 'room:key', { roomId, epoch: body.epoch });
    return { epoch: body.epoch };
  }

  /**
   * A group member's devices received the room up to `seq`: the mark goes up only, never
   * past the last message. When it moved, every current member hears of it (the caller's
   * other devices too); when it did not, nobody does. Direct rooms have no such mark (400).
   */
  async markDelivered(actor: Actor, roomId: string, seq: number): Promise<Answer<'markDelivered'>> {
    const room = await this.access.requireMemberRoom(actor, roomId);
    if (room.kind !== GROUP_ROOM) throw badRequest(NOT_A_GROUP, 'not_a_group');
    const mark = await this.rooms.markDelivered(roomId, actor.userId, BigInt(seq));
    // The caller left the group between the check and the update.
    if (!mark) throw notFound('No such conversation.');
    const deliveredSeq = Number(mark.seq);
    if (mark.moved) {
      const memberIds = await this.rooms.memberIds(roomId);
      this.realtime.toUsers(memberIds, 'room:delivered', { roomId, userId: actor.userId, deliveredSeq });
    }
    return { deliveredSeq };
  }

  async markRead(actor: Actor, roomId: string, seq: number): Promise<Answer<'markRead'>> {
    await this.access.requireMember(actor, roomId);
    const lastReadSeq = Number(await this.rooms.markRead(roomId, actor.userId, BigInt(seq)));
    this.realtime.toUsers([actor.userId], 'room:read', { roomId, lastReadSeq });
    return { lastReadSeq };
  }
}

/** An epoch that exists already was taken by someone else (409); skipping ahead is a bad request (400). */
function checkNextEpoch(current: number, requested: number): void {
  if (requested <= current) throw conflict('epoch_taken', EPOCH_TAKEN);
  if (requested !== current + 1) {
    throw badRequest(`epoch: the next key epoch of this conversation is ${current + 1}, not ${requested}.`);
  }
}
