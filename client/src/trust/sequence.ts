// Gaps, repeats and reordering in what the server delivers, told from the sender
// counters inside each message's signed content (chain id + count from 1).

import type { ChatItem } from '../messages';

/**
 * Notices to show before items (by item key). `complete`: the whole history is
 * held, so a chain's first message must be its number 1. Only others' verified
 * messages are checked; a seq missing from the list is no excuse, since the
 * counters say how many messages the sender actually wrote.
 */
export function sequenceNotices(
  items: readonly ChatItem[],
  complete: boolean,
  nameOf: (userId: string) => string,
): Map<string, string> {
  const notices = new Map<string, string>();
  const last = new Map<string, number>();
  for (const item of items) {
    if (item.seq === null || item.mine || item.state !== 'sent' || !item.counter) continue;
    const chain = `${item.senderId} ${item.counter.chain}`;
    const n = item.counter.n;
    const before = last.get(chain);
    const name = nameOf(item.senderId);
    if (before === undefined) {
      if (complete && n > 1) notices.set(item.key, missing(n - 1, name));
    } else if (n === before + 1) {
      // In order.
    } else if (n > before + 1) {
      notices.set(item.key, missing(n - before - 1, name));
    } else {
      notices.set(
        item.key,
        `The next message from ${name} is out of order or a repeat: the server reordered or replayed it.`,
      );
    }
    last.set(chain, Math.max(n, before ?? 0));
  }
  return notices;
}

function missing(count: number, name: string): string {
  return count === 1
    ? `1 message from ${name} is missing here: the server withheld it.`
    : `${count} messages from ${name} are missing here: the server withheld them.`;
}
