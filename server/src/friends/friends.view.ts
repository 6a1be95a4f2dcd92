import type { BlockedUser, Friend, FriendRequest } from '@onionchat/contract';
import { publicUserView } from '../users/user.view.js';

type PublicUserRow = { id: string; username: string; publicKeys: Uint8Array };

/** A friend: the other member of a direct room, and since when. */
export function friendView(user: PublicUserRow, room: { id: string; createdAt: Date }): Friend {
  return { user: publicUserView(user), roomId: room.id, since: room.createdAt.toISOString() };
}

/** A request as its sender (who it went to) or its recipient (who it came from) sees it. */
export function friendRequestView(request: { id: string; createdAt: Date }, otherUser: PublicUserRow): FriendRequest {
  return { id: request.id, user: publicUserView(otherUser), createdAt: request.createdAt.toISOString() };
}

export function blockedUserView(block: { blocked: { id: string; username: string }; createdAt: Date }): BlockedUser {
  return { user: { id: block.blocked.id, username: block.blocked.username }, since: block.createdAt.toISOString() };
}
