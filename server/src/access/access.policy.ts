// Who may touch what. Every service method that reads or changes a room, a group, a
// friend request, a friendship or a file starts with one of these checks, so the rules
// live here only. Something the caller may not see answers exactly like something that does
// not exist.
import { Injectable } from '@nestjs/common';
import { forbidden, notFound } from '../common/api-error.js';
import { BlocksRepository } from '../friends/blocks.repository.js';
import { FriendRequestsRepository } from '../friends/friend-requests.repository.js';
import { GROUP_ROOM, RoomsRepository } from '../rooms/rooms.repository.js';
import { FilesRepository } from '../files/files.repository.js';
import { MessagesRepository } from '../messages/messages.repository.js';
import { UsersRepository } from '../users/users.repository.js';
import type { Actor } from './actor.js';

const NOT_YOURS = {
  upload: 'Only the person uploading a file can add to it.',
  delete: 'Only the person who uploaded a file can delete it.',
} as const;
const NOT_YOUR_MESSAGE = 'Only the person who sent a message can erase it.';

@Injectable()
export class AccessPolicy {
  constructor(
    private readonly rooms: RoomsRepository,
    private readonly requests: FriendRequestsRepository,
    private readonly blocks: BlocksRepository,
    private readonly files: FilesRepository,
    private readonly users: UsersRepository,
    private readonly messages: MessagesRepository,
  ) {}

  /** The caller is a member of the room; 404 otherwise. */
  async requireMember(actor: Actor, roomId: string): Promise<void> {
    if (!(await this.rooms.findMember(roomId, actor.userId))) throw notFound('No such conversation.');
  }

  /** As requireMember, and returns every member's id (one read, for what the others are then told). */
  async requireMemberIds(actor: Actor, roomId: string): Promise<string[]> {
    const memberIds = await this.rooms.memberIds(roomId);
    if (!memberIds.includes(actor.userId)) throw notFound('No such conversation.');
    return memberIds;
  }

  /**
   * As requireMember, and returns the room: for the rules that differ between a direct
   * room and a group, whose kind a member may know.
   */
  async requireMemberRoom(actor: Actor, roomId: string) {
    const [room, member] = await Promise.all([
      this.rooms.findById(roomId),
      this.rooms.findMember(roomId, actor.userId),
    ]);
    if (!room || !member) throw notFound('No such conversation.');
    return room;
  }

  /** The caller sent the request, or received it from someone they have not blocked; 404 otherwise. */
  async requireRequestParty(actor: Actor, requestId: string) {
    const request = await this.requests.findById(requestId);
    const visible =
      request &&
      (request.fromId === actor.userId ||
        (request.toId === actor.userId && !(await this.blocks.exists(actor.userId, request.fromId))));
    if (!visible) throw notFound('No such friend request.');
    return request;
  }

  /** The caller received the request (only the recipient may accept); 404 otherwise. */
  async requireRequestRecipient(actor: Actor, requestId: string) {
    const request = await this.requireRequestParty(actor, requestId);
    if (request.toId !== actor.userId) throw notFound('No such friend request.');
    return request;
  }

  /** The file belongs to a room the caller is a member of; 404 otherwise. */
  async requireFileAccess(actor: Actor, fileId: string) {
    const file = await this.files.findById(fileId);
    if (!file || !(await this.rooms.findMember(file.roomId, actor.userId))) throw notFound('No such file.');
    return file;
  }

  /**
   * The caller uploaded the file: only they may add to it or delete it. A member who
   * is not the uploader sees the file, so they get 403; anyone else 404.
   */
  async requireUploader(actor: Actor, fileId: string, action: 'upload' | 'delete') {
    const file = await this.requireFileAccess(actor, fileId);
    if (file.uploaderId !== actor.userId) throw forbidden('not_yours', NOT_YOURS[action]);
    return file;
  }

  /**
   * The caller sent the message, which is still served in a room they are a member of.
   * A member who is not its sender sees the message, so they get 403; anyone else 404.
   */
  async requireMessageSender(actor: Actor, roomId: string, messageId: string) {
    await this.requireMember(actor, roomId);
    const message = await this.messages.findLive(roomId, messageId);
    if (!message) throw notFound('No such message.');
    if (message.senderId !== actor.userId) throw forbidden('not_yours', NOT_YOUR_MESSAGE);
    return message;
  }

  /** The other user is the caller's friend (they share a direct room); 404 otherwise. */
  async requireFriend(actor: Actor, userId: string) {
    const room = await this.rooms.findDirect(actor.userId, userId);
    if (!room) throw notFound('No such friend.');
    return room;
  }

  /**
   * The room is a group and the caller is one of its members now; 404 otherwise, so a
   * member who left or was removed is answered like a stranger.
   */
  async requireGroupMember(actor: Actor, roomId: string) {
    const room = await this.rooms.findById(roomId);
    if (!room || room.kind !== GROUP_ROOM || !(await this.rooms.findMember(roomId, actor.userId))) {
      throw notFound('No such group.');
    }
    return room;
  }

  /**
   * Everyone the caller puts into a group (other than the caller) is the caller's friend
   * and neither has blocked the other; 403 naming the first who is not. Someone who is not
   * a friend is named by the id the caller gave, and one who blocked the caller is
   * answered exactly like one who is not a friend.
   */
  async requireGroupInvitees(actor: Actor, userIds: readonly string[]): Promise<void> {
    const others = userIds.filter((id) => id !== actor.userId);
    if (others.length === 0) return;
    const [friends, blocks, users] = await Promise.all([
      this.rooms.friendsAmong(actor.userId, others),
      this.blocks.between(actor.userId, others),
      this.users.findPublic(others),
    ]);
    const names = new Map(users.map((user) => [user.id, user.username]));
    for (const id of others) {
      const name = names.get(id);
      if (name && blocks.blocked.has(id)) {
        throw forbidden('you_blocked', `You blocked ${name}. Unblock them before you add them to a group.`);
      }
      if (!name || !friends.has(id) || blocks.blockedBy.has(id)) {
        throw forbidden('not_friends', `Only your friends can be added to a group, and user ${id} is not your friend.`);
      }
    }
  }
}
