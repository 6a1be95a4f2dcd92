// How a conversation's messages are laid out: a heading for each day, and messages
// from one sender close together in time grouped under one name.

import type { ChatItem } from '../chat/index.js';
import { formatDay, sameDay } from './format.js';

/** Consecutive messages from one sender within this time form a group. */
export const GROUP_MS = 5 * 60_000;

/** A line of the list: a day's heading, or a message (first and/or last of a group). */
export type Row =
  | { kind: 'day'; key: string; label: string; time: number }
  | { kind: 'message'; key: string; item: ChatItem; first: boolean; last: boolean };

function groupable(a: ChatItem, b: ChatItem): boolean {
  return (
    a.senderId === b.senderId &&
    a.state !== 'unverified' &&
    b.state !== 'unverified' &&
    Math.abs(b.time - a.time) <= GROUP_MS &&
    sameDay(a.time, b.time)
  );
}

export function messageRows(items: readonly ChatItem[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    const previous = items[i - 1];
    const next = items[i + 1];
    if (!previous || !sameDay(previous.time, item.time)) {
      rows.push({ kind: 'day', key: `day:${item.key}`, label: formatDay(item.time), time: item.time });
    }
    rows.push({
      kind: 'message',
      key: item.key,
      item,
      first: !previous || !groupable(previous, item),
      last: !next || !groupable(item, next),
    });
  }
  return rows;
}
