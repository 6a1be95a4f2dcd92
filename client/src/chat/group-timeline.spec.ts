// Where a group's membership notices stand among its messages: after the last message
// filed before the change, before this client's sends on their way, and not above the
// oldest message held while older history is still to come.

import { describe, expect, it } from 'vitest';
import type { GroupChange } from '../groups/group-change.js';
import { noticeItem, withNotices } from './group-timeline.js';
import type { ChatItem } from './items.js';

const ME = 'me';
const names: Record<string, string> = { a: 'alice', c: 'carol' };
const nameOf = (id: string) => names[id] ?? 'someone';

function message(seq: number | null, key = `seq:${seq}`): ChatItem {
  return {
    key,
    roomId: 'r',
    seq,
    senderId: 'a',
    mine: false,
    state: seq === null ? 'pending' : 'sent',
    text: `m${seq}`,
    file: null,
    unsupportedType: null,
    note: null,
    time: 0,
    messageId: null,
  };
}

function change(index: number, afterSeq: number, action: GroupChange['action'] = 'add'): GroupChange {
  return { index, afterSeq, signerId: 'a', action, epoch: 1, sentAt: 5, entries: [{ userId: 'c', role: 'member' }] };
}

const keys = (items: readonly ChatItem[]) => items.map((item) => item.key);
const notice = (c: GroupChange) => noticeItem('r', c, ME, nameOf);

describe('withNotices', () => {
  it('places each change after the last message filed before it, before pending sends', () => {
    const items = [message(1), message(2), message(3), message(null, 'id:x')];
    const merged = withNotices(items, [change(0, 0, 'create'), change(1, 2), change(2, 3)], null, notice);
    expect(keys(merged)).toEqual(['notice:0', 'seq:1', 'seq:2', 'notice:1', 'seq:3', 'notice:2', 'id:x']);
    expect(merged[3]).toMatchObject({ state: 'notice', text: 'alice added carol', seq: null, senderId: 'a' });
  });

  it('holds back changes filed before the oldest message held while older ones are still to load', () => {
    const items = [message(5), message(6)];
    const merged = withNotices(items, [change(0, 0, 'create'), change(1, 4), change(2, 5)], 5, notice);
    expect(keys(merged)).toEqual(['notice:1', 'seq:5', 'notice:2', 'seq:6']);
  });

  it('returns the same items when there is nothing to add', () => {
    const items = [message(1)];
    expect(withNotices(items, [], null, notice)).toBe(items);
  });

  it('says "You" for this account', () => {
    expect(noticeItem('r', { ...change(1, 0, 'remove'), signerId: ME }, ME, nameOf)).toMatchObject({
      text: 'You removed carol; a new key is in use',
      mine: true,
    });
  });
});
