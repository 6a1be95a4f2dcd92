import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { walkSenderCounters, type CountedMessage } from './sender-counter-walk.js';
import { newUuid } from './uuid.js';

const alice = newUuid();
const bob = newUuid();
const chain = newUuid();

/** Messages of one sender and chain, in the order given, keyed by position. */
const counted = (senderId: string, ...ns: number[]): CountedMessage[] =>
  ns.map((n, i) => ({ key: `${senderId}/${i}`, senderId, counter: { chain, n } }));

describe('walkSenderCounters', () => {
  it('finds nothing in an unbroken chain', () => {
    expect(walkSenderCounters(counted(alice, 1, 2, 3, 4), true)).toEqual([]);
  });

  it('reports what was withheld, before the message after the gap', () => {
    expect(walkSenderCounters(counted(alice, 1, 2, 6), true)).toEqual([
      { at: `${alice}/2`, senderId: alice, kind: 'missing', count: 3 },
    ]);
  });

  it('requires number 1 first only when the whole history is held', () => {
    const late = counted(alice, 3, 4);
    expect(walkSenderCounters(late, false)).toEqual([]);
    expect(walkSenderCounters(late, true)).toEqual([{ at: `${alice}/0`, senderId: alice, kind: 'missing', count: 2 }]);
  });

  it('reports a repeat or a step back, and keeps the highest number seen', () => {
    expect(walkSenderCounters(counted(alice, 1, 2, 1, 3), true)).toEqual([
      { at: `${alice}/2`, senderId: alice, kind: 'out-of-order' },
    ]);
  });

  it('keeps each sender apart, even when two use the same chain id', () => {
    const messages: CountedMessage[] = [
      { key: '1', senderId: alice, counter: { chain, n: 1 } },
      { key: '2', senderId: bob, counter: { chain, n: 1 } },
      { key: '3', senderId: alice, counter: { chain, n: 2 } },
    ];
    expect(walkSenderCounters(messages, true)).toEqual([]);
  });

  it('counts exactly the withheld messages of an in-order chain', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 1 }), (kept) => {
        const ns = [...kept].sort((a, b) => a - b);
        const findings = walkSenderCounters(counted(alice, ...ns), true);
        expect(findings.every((f) => f.kind === 'missing')).toBe(true);
        const withheld = findings.reduce((sum, f) => sum + (f.kind === 'missing' ? f.count : 0), 0);
        expect(withheld).toBe(ns[ns.length - 1]! - ns.length);
      }),
    );
  });

  it('must reject a counter readSenderCounter would refuse', () => {
    const bad = (n: unknown, chainId: unknown = chain) =>
      code(() =>
        walkSenderCounters(
          [...counted(alice, 1), { key: 'bad', senderId: alice, counter: { chain: chainId, n } as never }],
          true,
        ),
      );
    expect(bad(0)).toBe('bad-content');
    expect(bad(2.5)).toBe('bad-content');
    expect(bad(Number.MAX_SAFE_INTEGER + 1)).toBe('bad-content');
    expect(bad(Number.NaN)).toBe('bad-content');
    expect(bad(2, chain.toUpperCase())).toBe('bad-content');
    expect(bad(2, null)).toBe('bad-content');
  });
});
