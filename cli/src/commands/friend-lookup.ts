// Finding a friend, a request or a conversation by the username the person typed; a
// group by its name or its id (a friend's username wins over a group of that name).

import {
  canonicalUsername,
  type ChatSession,
  type ChatSnapshot,
  type Friend,
  type FriendRequest,
  type FriendsList,
  type RoomState,
} from '@onionchat/client';
import { groupSettled, isOutOfGroup, NOT_IN_GROUP } from '../conversation-names.js';
import { CliError, EXIT } from '../exit-codes.js';
import { friendsLoaded, until } from '../wait.js';

/** A conversation the person named: with a friend, or a group. */
export type Target =
  | { kind: 'friend'; roomId: string; name: string; friend: Friend }
  | { kind: 'group'; roomId: string; name: string; friend: null };

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

/** The groups this account is in, once each has its members checked and its name read (or why not). */
export async function groupsLoaded(chat: ChatSession): Promise<RoomState[]> {
  await friendsLoaded(chat);
  return until(
    chat,
    (snapshot) => {
      const groups = groupsOf(snapshot);
      return groups.every((room) => groupSettled(room.group!)) ? groups : undefined;
    },
    'the groups',
  );
}

function groupsOf(snapshot: ChatSnapshot): RoomState[] {
  return [...snapshot.rooms.values()].filter((room) => room.group);
}

/**
 * A friend by username, else a group by its id or its name (any case). Two groups of
 * one name are told apart by id.
 */
export async function findConversation(chat: ChatSession, name: string): Promise<Target> {
  const lists = await friendsLoaded(chat);
  const wanted = canonicalUsername(name);
  const friend = lists.friends.find((entry) => entry.user.username === wanted);
  if (friend) return { kind: 'friend', roomId: friend.roomId, name: friend.user.username, friend };
  const byId = chat.getSnapshot().rooms.get(name.trim());
  const groups = byId?.group ? [byId] : await groupsLoaded(chat);
  const named = byId?.group
    ? groups
    : groups.filter((room) => room.group!.title.toLowerCase() === name.trim().toLowerCase());
  if (named.length > 1) {
    throw new CliError(
      `More than one group is called “${name}”: give its id (onionchat groups lists them).`,
      EXIT.failure,
    );
  }
  const group = named[0];
  if (!group) throw new CliError(`${name} is neither one of your friends nor a group you are in.`, EXIT.failure);
  return { kind: 'group', roomId: group.room.id, name: group.group!.title, friend: null };
}

/** A friend's conversation once its latest messages are loaded and the friend's keys checked. */
export async function loadedRoom(chat: ChatSession, friend: Friend): Promise<RoomState> {
  return loadedConversation(chat, { kind: 'friend', roomId: friend.roomId, name: friend.user.username, friend });
}

/** A conversation once its latest messages are loaded and its people checked (a friend's keys, a group's chain). */
export async function loadedConversation(chat: ChatSession, target: Target): Promise<RoomState> {
  chat.setActiveRoom(target.roomId);
  const what = target.kind === 'friend' ? `the conversation with ${target.name}` : `the group ${target.name}`;
  return until(chat, (snapshot) => readyRoom(snapshot, target.roomId), what);
}

function readyRoom(snapshot: ChatSnapshot, roomId: string): RoomState | undefined {
  const room = snapshot.rooms.get(roomId);
  if (!room) return undefined;
  // A group this account is out of loads nothing more: what is here is all there is.
  if (room.group?.gone) return room;
  if (!room.loaded || room.partial) return undefined;
  if (room.group) return groupSettled(room.group) ? room : undefined;
  return room.trust === null ? undefined : room;
}

/** Refuses to go on when the friend's key changed (or a group's chain does not check out): the core blocks sending, so do we. */
export function checkSendable(room: RoomState): void {
  if (isOutOfGroup(room.group)) throw new CliError(NOT_IN_GROUP, EXIT.failure);
  if (room.sendBlocked) throw new CliError(room.sendBlocked, EXIT.trust);
  if (room.membersChanged) throw new CliError(room.membersChanged, EXIT.trust);
}
