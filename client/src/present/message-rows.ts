// How a conversation's messages are laid out: a heading for each day, and messages
// from one sender close together in time grouped under one name. Times are the
// send times senders signed; a message the server delivered late or again carries
// a warning and stands alone.

import type { ChatItem } from '../chat/index.js';
import { CONVERSATION_PHRASES } from '../chat/conversation-phrases.js';
import { DEFAULT_LOCALE, formatDay, formatFull, formatTime, sameDay } from './format.js';
import { sayer } from './phrasebook.js';

const say = sayer(CONVERSATION_PHRASES);

/** Consecutive messages from one sender within this time form a group. */
export const GROUP_MS = 5 * 60_000;

/**
 * A line of the list: a day's heading, a message (first and/or last of a group), or a
 * group's membership notice ("Alice added Carol"), centred and never grouped.
 */
export type Row =
  | { kind: 'day'; key: string; label: string; time: number }
  | { kind: 'message'; key: string; item: ChatItem; first: boolean; last: boolean }
  | { kind: 'notice'; key: string; item: ChatItem; text: string; time: number };

/**
 * The time a message shows: the send time its sender signed (the server cannot
 * change it), else when the server stored it (an unverified message) or when this
 * client wrote it (a send on its way).
 */
export function shownTime(item: ChatItem): number {
  return item.sentAt ?? item.time;
}

/**
 * The warning under a message the server delivered at the wrong time or again
 * (null for any other): the person should not take it as something just written.
 */
export function deliveryWarning(
  item: ChatItem,
  name: string,
  now: number = Date.now(),
  locale: string = DEFAULT_LOCALE,
): string | null {
  const flag = item.flag;
  // Only others' messages are flagged, so `name` is always someone else's ("Bob’s clock", never "your").
  if (!flag || item.sentAt === undefined || item.sentAt === null) return null;
  const sent = when(item.sentAt, now, locale);
  if (flag.kind === 'replayed') return say('conversation.delivery.replayed', { sent, name });
  const delivered = when(item.time, now, locale);
  switch (flag.reason) {
    case 'behind':
      return say('conversation.delivery.behind', { sent, name, delivered });
    case 'ahead':
      return say('conversation.delivery.ahead', { sent, name, delivered });
    case 'before-previous':
      return say('conversation.delivery.beforePrevious', { sent, name });
  }
}

export function messageRows(items: readonly ChatItem[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    const previous = items[i - 1];
    const next = items[i + 1];
    if (!previous || !sameDay(shownTime(previous), shownTime(item))) {
      const time = shownTime(item);
      rows.push({ kind: 'day', key: `day:${item.key}`, label: formatDay(time), time });
    }
    if (item.state === 'notice') {
      rows.push({ kind: 'notice', key: item.key, item, text: item.text ?? '', time: shownTime(item) });
      continue;
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

function groupable(a: ChatItem, b: ChatItem): boolean {
  const [at, bt] = [shownTime(a), shownTime(b)];
  return (
    a.state !== 'notice' &&
    b.state !== 'notice' &&
    a.senderId === b.senderId &&
    a.state !== 'unverified' &&
    b.state !== 'unverified' &&
    !a.flag &&
    !b.flag &&
    Math.abs(bt - at) <= GROUP_MS &&
    sameDay(at, bt)
  );
}

/** "at 09:14" today, "on Wednesday, 3 March 2027, 09:14" on another day. */
function when(ms: number, now: number, locale: string): string {
  return sameDay(ms, now)
    ? say('conversation.delivery.atTime', { time: formatTime(ms, locale) })
    : say('conversation.delivery.onDate', { date: formatFull(ms, locale) });
}
