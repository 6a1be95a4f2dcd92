// Snapshots built with the core's own types, for the TUI's unit tests.

import {
  EMPTY_SNAPSHOT,
  type ChatItem,
  type ChatSnapshot,
  type Friend,
  type GroupMemberView,
  type GroupView,
  type PeerTrust,
  type RoomState,
} from '@onionchat/client';

export const ME = { id: 'u-me', username: 'alice' };
export const NOON = Date.UTC(2026, 11, 4, 12, 0, 0);

export function friend(username: string, roomId = `r-${username}`): Friend {
  return {
    user: { id: `u-${username}`, username, publicKeys: 'k' },
    roomId,
    since: new Date(NOON - 86_400_000).toISOString(),
  };
}

let counter = 0;

export function item(overrides: Partial<ChatItem> & { roomId: string }): ChatItem {
  counter += 1;
  return {
    key: `seq:${counter}`,
    seq: counter,
    senderId: 'u-bob',
    mine: false,
    state: 'sent',
    text: `message ${counter}`,
    file: null,
    unsupportedType: null,
    note: null,
    time: NOON + counter * 1000,
    sentAt: NOON + counter * 1000,
    messageId: `m-${counter}`,
    ...overrides,
  };
}

export function roomState(f: Friend, items: ChatItem[], overrides: Partial<RoomState> = {}): RoomState {
  const last = items[items.length - 1] ?? null;
  const trust: PeerTrust = { state: 'unverified', username: f.user.username, presented: null };
  return {
    room: {
      id: f.roomId,
      kind: 'direct',
      epoch: 1,
      lastSeq: items.length,
      lastReadSeq: 0,
      unread: 0,
      members: [{ id: ME.id, username: ME.username, publicKeys: 'k' }, f.user],
    },
    peer: f.user,
    items,
    loaded: true,
    partial: false,
    hasOlder: false,
    loadingOlder: false,
    error: null,
    lastActivity: last?.time ?? null,
    last,
    trust,
    sendBlocked: null,
    membersChanged: null,
    notices: new Map(),
    ...overrides,
  };
}

export function snapshot(friends: Friend[], rooms: RoomState[], overrides: Partial<ChatSnapshot> = {}): ChatSnapshot {
  return {
    ...EMPTY_SNAPSHOT,
    connection: 'connected',
    connectedOnce: true,
    friends: { friends, incoming: [], outgoing: [], blocked: [] },
    rooms: new Map(rooms.map((room) => [room.room.id, room])),
    totalUnread: rooms.reduce((sum, room) => sum + room.room.unread, 0),
    ...overrides,
  };
}

export function withUnread(state: RoomState, unread: number): RoomState {
  return { ...state, room: { ...state.room, unread } };
}

/** A member of a group as the core's view has them. */
export function groupMember(username: string, overrides: Partial<GroupMemberView> = {}): GroupMemberView {
  const me = username === ME.username;
  return {
    id: me ? ME.id : `u-${username}`,
    name: me ? 'You' : username,
    role: 'member',
    me,
    addedBy: ME.id,
    check: me ? 'you' : 'contact',
    label: me ? 'you' : 'contact',
    ...overrides,
  };
}

/** A group's view: `members` (this account among them as ME's username), admins first. */
export function groupView(
  name: string,
  members: readonly GroupMemberView[],
  overrides: Partial<GroupView> = {},
): GroupView {
  const sorted = [...members].sort((a, b) => Number(b.role === 'admin') - Number(a.role === 'admin'));
  return {
    title: name,
    name,
    picture: null,
    nameWarning: null,
    members: sorted,
    admins: sorted.filter((member) => member.role === 'admin').map((member) => member.id),
    myRole: sorted.find((member) => member.me)?.role ?? null,
    warning: null,
    gone: false,
    verified: true,
    changedAt: NOON,
    ...overrides,
  };
}

/** A group conversation (its items may hold notices: item({ state: 'notice', … })). */
export function groupRoom(
  roomId: string,
  view: GroupView,
  items: ChatItem[],
  overrides: Partial<RoomState> = {},
): RoomState {
  const messages = items.filter((entry) => entry.state !== 'notice');
  const last = messages[messages.length - 1] ?? null;
  return {
    room: {
      id: roomId,
      kind: 'group',
      epoch: 1,
      lastSeq: messages.length,
      lastReadSeq: 0,
      unread: 0,
      members: view.members.map((member) => ({
        id: member.id,
        username: member.me ? ME.username : member.name,
        publicKeys: 'k',
      })),
    },
    peer: null,
    items,
    loaded: true,
    partial: false,
    hasOlder: false,
    loadingOlder: false,
    error: null,
    lastActivity: last?.time ?? null,
    last,
    trust: null,
    sendBlocked: null,
    membersChanged: null,
    notices: new Map(),
    group: view,
    ...overrides,
  };
}

/** A membership notice as the core puts it among a group's messages. */
export function notice(roomId: string, text: string, overrides: Partial<ChatItem> = {}): ChatItem {
  return item({ roomId, state: 'notice', text, seq: null, messageId: null, key: `notice:${text}`, ...overrides });
}
