// Friend requests, friendships and blocks. A friendship is a direct room: accepting a
// request stores the room and the two wrapped room keys the accepter's client made.
import { Injectable } from '@nestjs/common';
import type { Answer, FriendsList } from '@onionchat/contract';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { badRequest, conflict, notFound } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { Transactions } from '../db/transactions.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { FIRST_EPOCH, RoomsRepository } from '../rooms/rooms.repository.js';
import { checkWrappedKeys } from '../rooms/wrapped-keys.js';
import { UsersRepository } from '../users/users.repository.js';
import { BlocksRepository } from './blocks.repository.js';
import { FriendRequestsRepository } from './friend-requests.repository.js';
import type { AcceptBody } from './friends.schemas.js';
import { blockedUserView, friendRequestView, friendView } from './friends.view.js';

@Injectable()
export class FriendsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly users: UsersRepository,
    private readonly requests: FriendRequestsRepository,
    private readonly blocks: BlocksRepository,
    private readonly rooms: RoomsRepository,
    private readonly transactions: Transactions,
    private readonly limiter: RateLimiter,
    private readonly realtime: RealtimeService,
  ) {}

  async overview(actor: Actor): Promise<FriendsList> {
    const [rooms, incoming, outgoing, blocked] = await Promise.all([
      this.rooms.listForUser(actor.userId),
      this.requests.listIncoming(actor.userId),
      this.requests.listOutgoing(actor.userId),
      this.blocks.listBy(actor.userId),
    ]);
    const friends = rooms
      .filter((room) => room.kind === 'direct')
      .flatMap((room) => room.members.filter((m) => m.userId !== actor.userId).map((m) => ({ room, member: m })))
      .map(({ room, member }) => friendView(member.user, room));
    return {
      friends,
      incoming: incoming.map((r) => friendRequestView(r, r.from)),
      outgoing: outgoing.map((r) => friendRequestView(r, r.to)),
      blocked: blocked.map(blockedUserView),
    };
  }

  async request(actor: Actor, username: string): Promise<Answer<'requestFriend'>> {
    // Every attempt counts, so the budget also bounds probing for who has an account.
    await this.limiter.consume('friend-requests', actor.userId);
    const target = await this.findUser(username);
    if (target.id === actor.userId) throw badRequest("You can't send a friend request to yourself.", 'invalid_target');
    if (await this.blocks.exists(actor.userId, target.id)) {
      throw conflict('you_blocked', `You blocked ${target.username}. Unblock them first.`);
    }
    if (await this.rooms.findDirect(actor.userId, target.id)) {
      throw conflict('already_friends', `You and ${target.username} are already friends.`);
    }
    if (await this.requests.findFromTo(target.id, actor.userId)) {
      throw conflict('they_asked_first', `${target.username} already sent you a friend request: accept it instead.`);
    }
    const request = await this.createRequest(actor.userId, target.id, target.username);
    // Someone who blocked the sender never hears of the request.
    if (!(await this.blocks.exists(target.id, actor.userId))) this.notifyFriends([target.id]);
    return { request: friendRequestView(request, target) };
  }

  async accept(actor: Actor, requestId: string, body: AcceptBody): Promise<Answer<'acceptFriend'>> {
    const request = await this.access.requireRequestRecipient(actor, requestId);
    // Version 1 or 2 records: two accounts that both have ML-KEM keys start hybrid.
    const filing = { roomId: body.roomId, epoch: FIRST_EPOCH, wrapperId: actor.userId };
    checkWrappedKeys(body.wrappedKeys, { ...filing, memberIds: [request.fromId, request.toId] }, 'wrappedKeys');
    try {
      await this.transactions.run(async (tx) => {
        const { count } = await this.requests.delete(request.id, tx);
        if (count === 0) throw notFound('No such friend request.');
        await this.rooms.createDirect(body.roomId, actor.userId, [request.fromId, request.toId], body.wrappedKeys, tx);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('already_friends', 'You are already friends, or that conversation id is taken.');
      }
      throw err;
    }
    this.notifyFriends([request.fromId, request.toId]);
    return { roomId: body.roomId };
  }

  /** The sender cancels or the recipient declines. */
  async dismiss(actor: Actor, requestId: string): Promise<void> {
    const request = await this.access.requireRequestParty(actor, requestId);
    await this.requests.delete(request.id);
    const senderBlocked = await this.blocks.exists(request.toId, request.fromId);
    this.notifyFriends(senderBlocked ? [actor.userId] : [request.fromId, request.toId]);
  }

  async unfriend(actor: Actor, userId: string): Promise<void> {
    await this.access.requireFriend(actor, userId);
    await this.rooms.deleteDirect(actor.userId, userId);
    this.notifyFriends([actor.userId, userId]);
  }

  /**
   * Blocking also ends any friendship and pending request between the two. Its 404 for a
   * name nobody has tells as much as a friend request's, so it spends the same per-user
   * budget: alternating the two routes probes no more names than either alone.
   */
  async block(actor: Actor, username: string): Promise<void> {
    await this.limiter.consume('friend-requests', actor.userId);
    const target = await this.findUser(username);
    if (target.id === actor.userId) throw badRequest("You can't block yourself.", 'invalid_target');
    await this.transactions.run(async (tx) => {
      await this.blocks.create(actor.userId, target.id, tx);
      await this.requests.deleteBetween(actor.userId, target.id, tx);
      await this.rooms.deleteDirect(actor.userId, target.id, tx);
    });
    this.notifyFriends([actor.userId, target.id]);
  }

  async unblock(actor: Actor, userId: string): Promise<void> {
    const { count } = await this.blocks.delete(actor.userId, userId);
    if (count === 0) throw notFound('You have not blocked that user.');
    this.notifyFriends([actor.userId]);
  }

  private async findUser(username: string) {
    const user = await this.users.findByUsername(username);
    if (!user) throw notFound(`No user called "${username}".`);
    return user;
  }

  private async createRequest(fromId: string, toId: string, toName: string) {
    try {
      return await this.requests.create(fromId, toId);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('already_requested', `You already sent ${toName} a friend request.`);
      }
      throw err;
    }
  }

  private notifyFriends(userIds: string[]): void {
    this.realtime.toUsers(userIds, 'friends:changed', {});
  }
}
