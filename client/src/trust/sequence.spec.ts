// Sender counters tell what the server did with the order of messages: gaps (withheld),
// repeats and reordering (replayed or moved), and a missing start of a complete history.

import { newUuid, type SenderCounter } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { ChainSendTimes, sequenceNotices, type SequencedItem } from './sequence.js';

const chain = newUuid();
const otherChain = newUuid();
const names: Record<string, string> = { bob: 'Bob', carol: 'Carol' };
const nameOf = (id: string) => names[id] ?? id;

let nextSeq = 1;

function item(senderId: string, counter: SenderCounter | null, extra: Partial<SequencedItem> = {}): SequencedItem {
  const seq = nextSeq++;
  return { key: `seq:${seq}`, seq, senderId, mine: false, state: 'sent', counter, ...extra };
}

function from(senderId: string, ...ns: number[]): SequencedItem[] {
  return ns.map((n) => item(senderId, { chain, n }));
}

function notices(items: SequencedItem[], complete = false): string[][] {
  return [...sequenceNotices(items, complete, nameOf)].map(([key, text]) => {
    const index = items.findIndex((i) => i.key === key);
    return [`#${index}`, text];
  });
}

describe('sequenceNotices', () => {
  it('says nothing for an unbroken sequence', () => {
    expect(notices(from('bob', 1, 2, 3), true)).toEqual([]);
  });

  it('tells a gap before the message after it (one, and several)', () => {
    expect(notices(from('bob', 1, 2, 4))).toEqual([
      ['#2', '1 message from Bob is missing here: the server withheld it.'],
    ]);
    expect(notices(from('bob', 5, 9))).toEqual([
      ['#1', '3 messages from Bob are missing here: the server withheld them.'],
    ]);
  });

  it('tells a reordering or a repeat, without calling the next message a gap', () => {
    const out = 'The next message from Bob is out of order or a repeat: the server reordered or replayed it.';
    expect(notices(from('bob', 1, 3, 2, 4))).toEqual([
      ['#1', '1 message from Bob is missing here: the server withheld it.'],
      ['#2', out],
    ]);
    expect(notices(from('bob', 1, 2, 2, 3))).toEqual([['#2', out]]);
  });

  it('expects number 1 first only when the whole history is held', () => {
    expect(notices(from('bob', 3, 4), true)).toEqual([
      ['#0', '2 messages from Bob are missing here: the server withheld them.'],
    ]);
    expect(notices(from('bob', 2, 3), true)).toEqual([
      ['#0', '1 message from Bob is missing here: the server withheld it.'],
    ]);
    expect(notices(from('bob', 3, 4), false)).toEqual([]);
  });

  it('counts each sender and chain on its own', () => {
    const items = [
      item('bob', { chain, n: 1 }),
      item('carol', { chain, n: 1 }),
      item('bob', { chain: otherChain, n: 1 }),
      item('bob', { chain, n: 2 }),
      item('carol', { chain, n: 3 }),
    ];
    expect(notices(items, true)).toEqual([['#4', '1 message from Carol is missing here: the server withheld it.']]);
  });

  it('checks only others’ verified, stored messages with a counter', () => {
    const items = [
      item('bob', { chain, n: 1 }),
      item('bob', { chain, n: 2 }, { mine: true }),
      item('bob', { chain, n: 3 }, { state: 'unverified' }),
      item('bob', { chain, n: 4 }, { seq: null }),
      item('bob', null),
      item('bob', { chain, n: 2 }),
    ];
    expect(notices(items, true)).toEqual([]);
  });

  it('does not count a seq missing from the list as an excuse: the counters decide', () => {
    const items = [item('bob', { chain, n: 1 })];
    nextSeq += 10;
    items.push(item('bob', { chain, n: 2 }));
    expect(notices(items, true)).toEqual([]);
  });

  it('leaves out a counter the protocol would refuse, rather than losing every notice', () => {
    const items = [item('bob', { chain: 'not-a-uuid', n: 1 }), ...from('bob', 1, 3)];
    expect(notices(items)).toEqual([['#2', '1 message from Bob is missing here: the server withheld it.']]);
  });
});

describe('ChainSendTimes', () => {
  it('gives the send time of the closest earlier message of the same chain, in whatever order they came', () => {
    const times = new ChainSendTimes();
    const room = newUuid();
    times.note(room, 'bob', chain, 5, 5_000);
    times.note(room, 'bob', chain, 2, 2_000);
    times.note(room, 'bob', otherChain, 4, 9_000);
    expect(times.previous(room, 'bob', chain, 1)).toBeNull();
    expect(times.previous(room, 'bob', chain, 4)).toBe(2_000);
    expect(times.previous(room, 'bob', chain, 9)).toBe(5_000);
    expect(times.previous(room, 'carol', chain, 9)).toBeNull();
    // The first copy of a number counts (a replay does not move it).
    times.note(room, 'bob', chain, 5, 1);
    expect(times.previous(room, 'bob', chain, 6)).toBe(5_000);
    times.forgetRoom(room);
    expect(times.previous(room, 'bob', chain, 9)).toBeNull();
  });
});
