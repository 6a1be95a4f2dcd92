// Snapshots built with the core's own types, for the TUI's unit tests.

import {
  EMPTY_SNAPSHOT,
  type ChatItem,
  type ChatSnapshot,
  type Friend,
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
