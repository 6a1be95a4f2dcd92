// Finding a friend, a request or a conversation by the username the person typed.

import {
  canonicalUsername,
  type ChatSession,
  type ChatSnapshot,
  type Friend,
  type FriendRequest,
  type FriendsList,
  type RoomState,
} from '@onionchat/client';
import { CliError, EXIT } from '../exit-codes.js';
import { friendsLoaded, until } from '../wait.js';

export async function findFriend(chat: ChatSession, name: string): Promise<Friend> {
  const lists = await friendsLoaded(chat);
  const wanted = canonicalUsername(name);
  const friend = lists.friends.find((entry) => entry.user.username === wanted);
  if (!friend) throw new CliError(`${wanted} is not one of your friends.`, EXIT.failure);
  return friend;
}

export function findRequest(lists: FriendsList, kind: 'incoming' | 'outgoing', name: string): FriendRequest {
  const wanted = canonicalUsername(name);
  const request = lists[kind].find((entry) => entry.user.username === wanted);
  if (request) return request;
  throw new CliError(
    kind === 'incoming'
      ? `${wanted} has not asked to be your friend.`
      : `You have not asked ${wanted} to be your friend.`,
    EXIT.failure,
  );
}

/** A friend's conversation once its latest messages are loaded and the friend's keys checked. */
export async function loadedRoom(chat: ChatSession, friend: Friend): Promise<RoomState> {
  chat.setActiveRoom(friend.roomId);
  return until(chat, (snapshot) => readyRoom(snapshot, friend.roomId), `the conversation with ${friend.user.username}`);
}

function readyRoom(snapshot: ChatSnapshot, roomId: string): RoomState | undefined {
  const room = snapshot.rooms.get(roomId);
  if (!room || !room.loaded || room.partial || room.trust === null) return undefined;
  return room;
}

/** Refuses to go on when the friend's key changed: the core blocks sending, so do we. */
export function checkSendable(room: RoomState): void {
  if (room.sendBlocked) throw new CliError(room.sendBlocked, EXIT.trust);
  if (room.membersChanged) throw new CliError(room.membersChanged, EXIT.trust);
}
