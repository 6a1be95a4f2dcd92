// How a conversation's messages are laid out: a heading for each day, and messages
// from one sender close together in time grouped under one name. Times are the
// send times senders signed; a message the server delivered late or again carries
// a warning and stands alone.

import type { ChatItem } from '../chat/index.js';
import { formatDay, formatFull, formatTime, sameDay } from './format.js';

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
export function deliveryWarning(item: ChatItem, senderName: string, now: number = Date.now()): string | null {
  const flag = item.flag;
  if (!flag || item.sentAt === undefined || item.sentAt === null) return null;
  const sent = `Sent ${when(item.sentAt, now)} by ${possessive(senderName)} clock`;
  if (flag.kind === 'replayed') {
    return `${sent}, and out of step with what was already received from ${senderName}: the server may have delivered it again (a replay). It is not shown as new.`;
  }
  switch (flag.reason) {
    case 'behind':
      return `${sent} but delivered ${when(item.time, now)}: the server may have held it back, replayed or re-timed it.`;
    case 'ahead':
      return `${sent}, later than the server says it arrived (${when(item.time, now)}): the server may have re-timed it, or ${possessive(senderName)} clock is wrong.`;
    case 'before-previous':
      return `${sent}, earlier than the message ${senderName} sent before it: the server may have replayed or re-timed it, or ${possessive(senderName)} clock went back.`;
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
function when(ms: number, now: number): string {
  return sameDay(ms, now) ? `at ${formatTime(ms)}` : `on ${formatFull(ms)}`;
}

function possessive(name: string): string {
  return name === 'You' ? 'your' : `${name}’s`;
}
