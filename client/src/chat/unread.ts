// The one unread rule. Every unread count in the client comes from these pure
// functions: a new message counted, the server's room list merged with what the
// socket told us since, and a read mark (ours or another session's) applied.
//
// A message counts as unread when it is someone else's, newer than the read mark,
// and arrived while the person was not looking at its room. When every message
// after the read mark is held, the count is exact; otherwise it is the best
// estimate at hand (the server's count), never more than the messages there are.

import type { Room } from '@onionchat/contract';
import { mergeDeliveredMarks } from './delivery-counts.js';

/** What a room's held messages can say (its timeline). */
export interface HeldMessagesView {
  /** Every seq in [from, to] is held. */
  covers(from: number, to: number): boolean;
  /** Messages from others held in (from, to]. */
  othersBetween(from: number, to: number): number;
}

/** Unread messages after `lastReadSeq` up to `lastSeq`: exact when held, else `estimate` within bounds. */
export function unreadAfter(lastReadSeq: number, lastSeq: number, estimate: number, held: HeldMessagesView): number {
  if (lastReadSeq >= lastSeq) return 0;
  if (held.covers(lastReadSeq + 1, lastSeq)) return held.othersBetween(lastReadSeq, lastSeq);
  return Math.max(0, Math.min(estimate, lastSeq - lastReadSeq));
}

/**
 * A message newly known of (live, caught up, or announced for a room not loaded
 * yet): the room with it counted. `watching`: the person is looking at this room.
 */
export function countNew(room: Room, seq: number, mine: boolean, watching: boolean): Room {
  if (seq <= room.lastSeq) return room;
  const unread = !mine && seq > room.lastReadSeq && !watching ? room.unread + 1 : room.unread;
  return { ...room, lastSeq: seq, unread };
}

/**
 * The server's view of a room merged with ours: neither side's newest message,
 * read mark or key epoch is taken back, and messages the socket brought after the
 * server counted are added to its count.
 */
export function mergeServerRoom(local: Room, server: Room, held: HeldMessagesView): Room {
  const lastSeq = Math.max(local.lastSeq, server.lastSeq);
  const lastReadSeq = Math.max(local.lastReadSeq, server.lastReadSeq);
  let estimate = server.unread;
  if (local.lastSeq > server.lastSeq) {
    estimate += held.othersBetween(Math.max(server.lastSeq, lastReadSeq), local.lastSeq);
  }
  // A room's key epoch never goes back: a server listing an older one would have new
  // messages sealed under an older key (a classical one, after the move to a hybrid key).
  const epoch = Math.max(local.epoch, server.epoch);
  const unread = unreadAfter(lastReadSeq, lastSeq, estimate, held);
  // A mark announced since the list was read must not go back.
  const delivered = mergeDeliveredMarks(local.delivered, server.delivered);
  return { ...server, epoch, lastSeq, lastReadSeq, unread, ...(delivered ? { delivered } : {}) };
}

/** A read mark (this session's or another's): the room after it, or the same room when it is not newer. */
export function applyReadMark(room: Room, seq: number, held: HeldMessagesView): Room {
  if (seq <= room.lastReadSeq) return room;
  return { ...room, lastReadSeq: seq, unread: unreadAfter(seq, room.lastSeq, room.unread, held) };
}
