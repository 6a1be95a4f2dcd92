// "Delivered to 2 of 3": how many of the members a group message was sealed for have
// had it reach one of their devices, by the delivered marks the server keeps for each
// member (its word, like "sent"; signed receipts would be the members' own). A member
// added after the message never had its key, so is not counted in either number.

import type { Room } from '@onionchat/contract';
import { groupMembersAtEpoch, type GroupState } from '@onionchat/protocol';
import type { ChatItem, DeliveryCount } from './items.js';

export type DeliveredMarksList = NonNullable<Room['delivered']>;

/** Both lists' marks, the higher of the two for each member; only the members `server` lists. */
export function mergeDeliveredMarks(local: Room['delivered'], server: Room['delivered']): Room['delivered'] {
  if (!server) return server;
  const held = new Map((local ?? []).map((mark) => [mark.userId, mark.seq]));
  return server.map((mark) => ({ userId: mark.userId, seq: Math.max(mark.seq, held.get(mark.userId) ?? 0) }));
}

/** `marks` with `userId`'s raised to `seq`, or the same list when that is no higher. */
export function raiseDeliveredMark(marks: DeliveredMarksList, userId: string, seq: number): DeliveredMarksList {
  const held = marks.find((mark) => mark.userId === userId);
  if (held && held.seq >= seq) return marks;
  return [...marks.filter((mark) => mark.userId !== userId), { userId, seq }];
}

/** This account's stored messages with their count; every other item as it was. */
export function withDeliveryCounts(
  items: readonly ChatItem[],
  state: GroupState | null,
  marks: Room['delivered'],
  meId: string,
): readonly ChatItem[] {
  if (!state || !marks) return items;
  const seqOf = new Map(marks.map((mark) => [mark.userId, mark.seq]));
  return items.map((item) => {
    const count = deliveryCount(item, state, seqOf, meId);
    return count ? counted(item, count) : item;
  });
}

/** The same object for the same message and count, so views that compare items redraw only what changed. */
const countedItems = new WeakMap<ChatItem, ChatItem>();

function counted(item: ChatItem, count: DeliveryCount): ChatItem {
  const cached = countedItems.get(item);
  if (cached?.deliveredTo?.count === count.count && cached.deliveredTo.of === count.of) return cached;
  const fresh = { ...item, deliveredTo: count };
  countedItems.set(item, fresh);
  return fresh;
}

function deliveryCount(
  item: ChatItem,
  state: GroupState,
  seqOf: ReadonlyMap<string, number>,
  meId: string,
): DeliveryCount | null {
  if (!item.mine || item.state !== 'sent' || item.seq === null || item.epoch === undefined) return null;
  const sealedFor = groupMembersAtEpoch(state, item.epoch);
  if (!sealedFor) return null;
  const readers = [...sealedFor].filter((userId) => userId !== meId);
  const count = readers.filter((userId) => (seqOf.get(userId) ?? 0) >= item.seq!).length;
  return { count, of: readers.length };
}
