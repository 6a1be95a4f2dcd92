// A group's conversation as shown: its messages, with a notice for each verified
// membership change ("Alice added Carol") placed where the server filed it, after the
// last message numbered before it (afterSeq). Notices are drawn from the verified chain
// only, never from the server's listing.

import type { GroupChange, NameOf } from '../groups/group-change.js';
import { groupNotice } from '../groups/group-notices.js';
import type { ChatItem } from './items.js';

/**
 * The items with the changes' notices among them. `shownFrom`: the lowest seq held
 * while older messages are still to be loaded (a change filed before it waits for
 * them, so it does not show up out of place), null when the history is all here.
 */
export function withNotices(
  items: readonly ChatItem[],
  changes: readonly GroupChange[],
  shownFrom: number | null,
  notice: (change: GroupChange) => ChatItem,
): readonly ChatItem[] {
  const due = changes.filter((change) => shownFrom === null || change.afterSeq >= shownFrom - 1);
  if (due.length === 0) return items;
  const merged: ChatItem[] = [];
  let next = 0;
  for (const item of items) {
    // This client's sends not stored yet (seq null) come after every change.
    const seq = item.seq ?? Number.POSITIVE_INFINITY;
    while (next < due.length && due[next]!.afterSeq < seq) merged.push(notice(due[next++]!));
    merged.push(item);
  }
  while (next < due.length) merged.push(notice(due[next++]!));
  return merged;
}

/** One change as a conversation item. Its time is the signer's clock: their word, as the notice's place is the server's. */
export function noticeItem(roomId: string, change: GroupChange, meId: string, nameOf: NameOf): ChatItem {
  return {
    key: `notice:${change.index}`,
    roomId,
    seq: null,
    senderId: change.signerId,
    mine: change.signerId === meId,
    state: 'notice',
    text: groupNotice(change, meId, nameOf),
    file: null,
    unsupportedType: null,
    note: null,
    time: change.sentAt,
    sentAt: change.sentAt,
    messageId: null,
  };
}
