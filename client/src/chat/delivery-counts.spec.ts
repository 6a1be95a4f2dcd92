// "Delivered to n of m" from the delivered marks: only this account's stored messages
// get a count, over the members the message was sealed for, and marks never go back.

import { describe, expect, it } from 'vitest';
import { GroupServer, person } from '../test-support/group-server.js';
import { mergeDeliveredMarks, raiseDeliveredMark, withDeliveryCounts } from './delivery-counts.js';
import type { ChatItem } from './items.js';

const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => person(name));

function item(seq: number | null, overrides: Partial<ChatItem> = {}): ChatItem {
  return {
    key: `k${seq}`,
    roomId: 'r',
    seq,
    senderId: alice!.user.id,
    mine: true,
    state: 'sent',
    text: 'hi',
    file: null,
    unsupportedType: null,
    note: null,
    time: 0,
    messageId: null,
    epoch: 1,
    ...overrides,
  };
}

describe('delivery counts', () => {
  const server = new GroupServer(alice!, [bob!, carol!]);
  const roomId = server.groupBy(alice!, [bob!, carol!]);
  const state = server.group(roomId).state;
  const marks = [
    { userId: alice!.user.id, seq: 9 },
    { userId: bob!.user.id, seq: 5 },
    { userId: carol!.user.id, seq: 2 },
  ];

  it('counts the other members whose mark reached the message', () => {
    const counted = withDeliveryCounts([item(2), item(3), item(6)], state, marks, alice!.user.id);
    expect(counted.map((i) => i.deliveredTo)).toEqual([
      { count: 2, of: 2 },
      { count: 1, of: 2 },
      { count: 0, of: 2 },
    ]);
  });

  it('gives no count to others’ messages, sends on their way, refused ones, or an epoch the chain has not reached', () => {
    const items = [
      item(2, { mine: false, senderId: bob!.user.id }),
      item(null, { state: 'pending' }),
      item(3, { state: 'unverified' }),
      item(4, { epoch: 7 }),
    ];
    const counted = withDeliveryCounts(items, state, marks, alice!.user.id);
    expect(counted.map((i) => i.deliveredTo)).toEqual([undefined, undefined, undefined, undefined]);
    expect(withDeliveryCounts(items, null, marks, alice!.user.id)).toBe(items);
    expect(withDeliveryCounts(items, state, undefined, alice!.user.id)).toBe(items);
  });

  it('never lets a mark go back, and lists only the members the server lists', () => {
    const local = [
      { userId: 'b', seq: 7 },
      { userId: 'gone', seq: 9 },
    ];
    const server = [
      { userId: 'b', seq: 4 },
      { userId: 'c', seq: 3 },
    ];
    expect(mergeDeliveredMarks(local, server)).toEqual([
      { userId: 'b', seq: 7 },
      { userId: 'c', seq: 3 },
    ]);
    expect(mergeDeliveredMarks(local, undefined)).toBeUndefined();
    expect(raiseDeliveredMark(server, 'b', 3)).toBe(server);
    expect(raiseDeliveredMark(server, 'b', 8)).toEqual([
      { userId: 'c', seq: 3 },
      { userId: 'b', seq: 8 },
    ]);
  });
});
