// A member added to a group holds no key of the epochs before they joined, so the
// messages from then are refused as unreadable (the core marks them `beforeJoining`).
// Rather than a wall of "could not be verified", a run of them becomes one muted line.
// Any other refusal (a forged or stale message) stays a warning of its own.

import type { ChatItem } from '@onionchat/client';

export function sentBeforeJoining(item: ChatItem): boolean {
  return item.state === 'unverified' && item.beforeJoining === true;
}

/** Folds each run of messages from before this account joined into one notice item. */
export function foldBeforeJoining(items: readonly ChatItem[]): readonly ChatItem[] {
  if (!items.some(sentBeforeJoining)) return items;
  const folded: ChatItem[] = [];
  let run: ChatItem[] = [];
  const flush = () => {
    const first = run[0];
    if (!first) return;
    const count = run.length;
    folded.push({
      ...first,
      key: `before-joining:${first.key}`,
      state: 'notice',
      text:
        count === 1
          ? 'A message sent before you joined cannot be read here: you have no key for it.'
          : `${count} messages sent before you joined cannot be read here: you have no key for them.`,
      file: null,
      note: null,
    });
    run = [];
  };
  for (const item of items) {
    if (sentBeforeJoining(item)) {
      run.push(item);
      continue;
    }
    flush();
    folded.push(item);
  }
  flush();
  return folded;
}
