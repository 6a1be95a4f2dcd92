// One conversation as the session holds it, and checks on the lists the server sends.

import type { FriendsList, Room, ServerMessage } from '../api';
import { Timeline, isServerMessage } from '../messages';
import type { RoomState } from './snapshot';

export interface RoomEntry {
  room: Room;
  timeline: Timeline;
  loaded: boolean;
  partial: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  error: string | null;
  /** Highest seq reported read to the server (or being reported). */
  readSent: number;
  readWanted: number;
  readTimer: ReturnType<typeof setTimeout> | null;
  view: RoomState | null;
}

export function newEntry(room: Room): RoomEntry {
  return {
    room,
    timeline: new Timeline(),
    loaded: false,
    partial: false,
    hasOlder: false,
    loadingOlder: false,
    error: null,
    readSent: room.lastReadSeq,
    readWanted: room.lastReadSeq,
    readTimer: null,
    view: null,
  };
}

export function isRoom(value: unknown): value is Room {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.epoch === 'number' &&
    typeof r.lastSeq === 'number' &&
    typeof r.lastReadSeq === 'number' &&
    typeof r.unread === 'number' &&
    Array.isArray(r.members)
  );
}

export function validMessages(messages: unknown, roomId: string): ServerMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.filter((m): m is ServerMessage => isServerMessage(m) && m.roomId === roomId);
}

export function normalizeFriends(list: FriendsList): FriendsList {
  return {
    friends: Array.isArray(list.friends) ? list.friends : [],
    incoming: Array.isArray(list.incoming) ? list.incoming : [],
    outgoing: Array.isArray(list.outgoing) ? list.outgoing : [],
    blocked: Array.isArray(list.blocked) ? list.blocked : [],
  };
}
