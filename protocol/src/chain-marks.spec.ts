import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes } from './bytes.js';
import {
  CHAIN_MARKS_MAX,
  CHAIN_MARK_BYTES,
  chainMarkFor,
  decodeChainMarks,
  encodeChainMarks,
  judgeAgainstMark,
  mergeChainMarks,
  updateChainMarks,
  type ChainMark,
  type ChainPosition,
} from './chain-marks.js';
import { fromHex, toHex } from './bytes.js';
import { newUuid } from './uuid.js';

function mark(overrides: Partial<ChainMark> = {}): ChainMark {
  return { roomId: newUuid(), senderId: newUuid(), chain: newUuid(), n: 3, seq: 10, ...overrides };
}

describe('chain marks encoding', () => {
  it('round-trips, in order, with the documented layout', () => {
    const marks = [mark(), mark({ n: 2 ** 53 - 1, seq: 1 })];
    const bytes = encodeChainMarks(marks);
    expect(bytes).toHaveLength(1 + 2 * CHAIN_MARK_BYTES);
    expect(CHAIN_MARK_BYTES).toBe(64);
    expect(bytes[0]).toBe(1);
    expect(decodeChainMarks(bytes)).toEqual(marks);
    expect(decodeChainMarks(encodeChainMarks([]))).toEqual([]);
  });

  it('must reject: another version, a bad length, two marks for one sender in a room, n or seq out of range', () => {
    const one = encodeChainMarks([mark()]);
    expect(code(() => decodeChainMarks(new Uint8Array(0)))).toBe('bad-length');
    expect(code(() => decodeChainMarks(Uint8Array.of(2)))).toBe('bad-version');
    expect(code(() => decodeChainMarks(one.subarray(0, one.length - 1)))).toBe('bad-length');
    expect(code(() => decodeChainMarks(concatBytes(one, Uint8Array.of(0))))).toBe('bad-length');
    const twice = mark();
    const duplicate = concatBytes(
      encodeChainMarks([twice]),
      encodeChainMarks([{ ...twice, chain: newUuid() }]).subarray(1),
    );
    expect(code(() => decodeChainMarks(duplicate))).toBe('bad-encoding');
    const n = 1 + 48;
    const seq = n + 8;
    for (const [offset, value] of [
      [n, 0],
      [seq, 0],
    ] as const) {
      const bad = one.slice();
      bad.fill(value, offset, offset + 8);
      expect(code(() => decodeChainMarks(bad))).toBe('bad-encoding');
    }
    const huge = one.slice();
    huge[n + 1] = 0x20;
    expect(code(() => decodeChainMarks(huge))).toBe('bad-encoding');
    const tooMany = concatBytes(Uint8Array.of(1), new Uint8Array((CHAIN_MARKS_MAX + 1) * CHAIN_MARK_BYTES));
    expect(code(() => decodeChainMarks(tooMany))).toBe('bad-length');
  });

  it('refuses to write what readers reject', () => {
    const twice = mark();
    expect(code(() => encodeChainMarks([twice, { ...twice, n: 9 }]))).toBe('bad-encoding');
    expect(code(() => encodeChainMarks([mark({ n: 0 })]))).toBe('bad-encoding');
    expect(code(() => encodeChainMarks([mark({ seq: 1.5 })]))).toBe('bad-encoding');
    expect(code(() => encodeChainMarks([mark({ chain: 'chain' })]))).toBe('bad-encoding');
    expect(code(() => encodeChainMarks(Array.from({ length: CHAIN_MARKS_MAX + 1 }, () => mark())))).toBe('too-large');
  });
});

describe('updateChainMarks', () => {
  it('keeps the highest n of a chain and moves the changed mark to the end', () => {
    const a = mark();
    const b = mark();
    const higher = updateChainMarks([a, b], { ...a, n: 4, seq: 12 });
    expect(higher).toEqual([b, { ...a, n: 4, seq: 12 }]);
    expect(updateChainMarks(higher, { ...a, n: 2, seq: 20 })).toEqual(higher);
    expect(updateChainMarks(higher, { ...a, n: 4, seq: 30 })).toEqual(higher);
  });

  it('replaces a chain by one first seen at a later seq, never by an older one', () => {
    const a = mark();
    const newer = { ...a, chain: newUuid(), n: 1, seq: 11 };
    expect(updateChainMarks([a], newer)).toEqual([newer]);
    expect(updateChainMarks([a], { ...newer, seq: 9 })).toEqual([a]);
    expect(chainMarkFor(updateChainMarks([a], newer), a.roomId, a.senderId)).toEqual(newer);
    expect(chainMarkFor([a], a.roomId, newUuid())).toBeNull();
  });

  it(`keeps at most ${CHAIN_MARKS_MAX} marks, dropping the least recently updated`, () => {
    let marks: ChainMark[] = [];
    const first = mark();
    marks = updateChainMarks(marks, first);
    for (let i = 0; i < CHAIN_MARKS_MAX - 1; i++) marks = updateChainMarks(marks, mark());
    marks = updateChainMarks(marks, { ...first, n: 4, seq: 11 });
    const last = mark();
    marks = updateChainMarks(marks, last);
    expect(marks).toHaveLength(CHAIN_MARKS_MAX);
    expect(chainMarkFor(marks, first.roomId, first.senderId)?.n).toBe(4);
    expect(marks[marks.length - 1]).toEqual(last);
    expect(() => encodeChainMarks(marks)).not.toThrow();
  });
});

describe('judgeAgainstMark', () => {
  const stored = mark({ n: 5, seq: 20 });
  const at = (n: number, seq: number, chain = stored.chain) => judgeAgainstMark(stored, { chain, n, seq });

  it('accepts what is consistent with the mark', () => {
    expect(judgeAgainstMark(null, { chain: stored.chain, n: 1, seq: 1 })).toBe('ok');
    expect(at(5, 20)).toBe('ok');
    expect(at(6, 21)).toBe('ok');
    expect(at(9, 40)).toBe('ok');
    expect(at(1, 3)).toBe('ok');
    expect(at(5, 99, newUuid())).toBe('ok');
  });

  it('flags a message delivered again: n at or below the mark later, the same n elsewhere, n above it earlier', () => {
    expect(at(5, 21)).toBe('replayed');
    expect(at(4, 30)).toBe('replayed');
    expect(at(5, 19)).toBe('replayed');
    expect(at(6, 20)).toBe('replayed');
    expect(at(4, 20)).toBe('replayed');
    expect(at(7, 10)).toBe('replayed');
  });
});

describe('mergeChainMarks', () => {
  it('keeps the newer mark per sender, and every mark only one side has', () => {
    const shared = mark();
    const onlyStored = mark();
    const onlyLocal = mark();
    const local = [{ ...shared, n: 7, seq: 30 }, onlyLocal];
    const stored = [onlyStored, shared];
    expect(mergeChainMarks(local, stored)).toEqual([onlyStored, { ...shared, n: 7, seq: 30 }, onlyLocal]);
    expect(mergeChainMarks([shared], [onlyStored, { ...shared, n: 9, seq: 40 }])).toEqual([
      onlyStored,
      { ...shared, n: 9, seq: 40 },
    ]);
    expect(mergeChainMarks([], stored)).toEqual(stored);
  });
});

interface Named {
  name: string;
}
interface ChainMarkVectors {
  valid: (Named & { value: string; marks: ChainMark[] })[];
  invalid: (Named & { value: string; error: string })[];
  judgements: (Named & { mark: ChainMark | null; position: ChainPosition; result: 'ok' | 'replayed' })[];
  updates: (Named & { marks: ChainMark[]; update: ChainMark; result: ChainMark[] })[];
  updateInvalid: (Named & { marks: ChainMark[]; update: ChainMark; error: string })[];
  merges: (Named & { local: ChainMark[]; stored: ChainMark[]; result: ChainMark[] })[];
}
const vectors = (
  JSON.parse(readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8')) as {
    chainMarks: ChainMarkVectors;
  }
).chainMarks;

describe('chain mark vectors (rules.json)', () => {
  it.each(vectors.valid)('reads and writes $name', (v) => {
    expect(decodeChainMarks(fromHex(v.value))).toEqual(v.marks);
    expect(toHex(encodeChainMarks(v.marks))).toBe(v.value);
  });
  it.each(vectors.invalid)('rejects $name with $error', (v) => {
    expect(code(() => decodeChainMarks(fromHex(v.value)))).toBe(v.error);
  });
  it.each(vectors.judgements)('judges $name: $result', (v) => {
    expect(judgeAgainstMark(v.mark, v.position)).toBe(v.result);
  });
  it.each(vectors.updates)('updates: $name', (v) => {
    expect(updateChainMarks(v.marks, v.update)).toEqual(v.result);
  });
  it.each(vectors.updateInvalid)('refuses to update with $name', (v) => {
    expect(code(() => updateChainMarks(v.marks, v.update))).toBe(v.error);
  });
  it.each(vectors.merges)('merges: $name', (v) => {
    expect(mergeChainMarks(v.local, v.stored)).toEqual(v.result);
  });
});
