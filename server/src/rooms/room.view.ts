import type { Room } from '@onionchat/contract';
import { publicUserView } from '../users/user.view.js';
import { GROUP_ROOM } from './rooms.repository.js';

/** A room with its members, as the rooms repository reads it. */
export interface StoredRoom {
  id: string;
  kind: string;
  epoch: number;
  lastSeq: bigint;
  members: {
    userId: string;
    lastReadSeq: bigint;
    deliveredSeq: bigint;
    user: { id: string; username: string; publicKeys: Uint8Array };
  }[];
}

/**
 * A room as `viewerId` sees it: their read mark and unread count, every member's public
 * keys and, in a group, every member's delivered mark.
 */
export function roomView(room: StoredRoom, viewerId: string, unread: number): Room {
  return {
    id: room.id,
    kind: room.kind,
    epoch: room.epoch,
    lastSeq: Number(room.lastSeq),
    lastReadSeq: Number(room.members.find((m) => m.userId === viewerId)?.lastReadSeq ?? 0n),
    unread,
    members: room.members.map((m) => publicUserView(m.user)),
    ...(room.kind === GROUP_ROOM
      ? { delivered: room.members.map((m) => ({ userId: m.userId, seq: Number(m.deliveredSeq) })) }
      : {}),
  };
}
