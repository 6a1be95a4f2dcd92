import {
  CHAIN_MARKS_EXTENSION,
  decodeChainMarks,
  encodeChainMarks,
  newUuid,
  type ChainMark,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extensionVault } from '../test-support/extension-vault.js';
import { CHAIN_MARKS_SAVE_DELAY_MS, ChainMarks } from './chain-marks.js';

const vault = extensionVault;

const room = newUuid();
const bob = newUuid();
const chain = newUuid();
const carolMark: ChainMark = { roomId: newUuid(), senderId: newUuid(), chain: newUuid(), n: 2, seq: 9 };

describe('ChainMarks', () => {
  afterEach(() => vi.useRealTimers());

  it('judges against the marks stored by an earlier session', () => {
    const marks = new ChainMarks(vault(encodeChainMarks([{ roomId: room, senderId: bob, chain, n: 3, seq: 7 }])));
    expect(marks.judge(room, bob, { chain, n: 3, seq: 7 })).toBe('ok');
    expect(marks.judge(room, bob, { chain, n: 3, seq: 8 })).toBe('replayed');
    expect(marks.judge(room, bob, { chain, n: 4, seq: 8 })).toBe('ok');
    expect(marks.judge(room, newUuid(), { chain, n: 1, seq: 8 })).toBe('ok');
  });

  it('saves a few seconds after a change, merged with what another session saved meanwhile', async () => {
    vi.useFakeTimers();
    const store = vault();
    const marks = new ChainMarks(store);
    marks.accept(room, bob, { chain, n: 1, seq: 1 });
    marks.accept(room, bob, { chain, n: 2, seq: 2 });
    store.concurrent = encodeChainMarks([carolMark]);
    await vi.advanceTimersByTimeAsync(CHAIN_MARKS_SAVE_DELAY_MS - 1);
    expect(store.saves).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.saves).toBe(1);
    expect(decodeChainMarks(store.stored!)).toEqual([carolMark, { roomId: room, senderId: bob, chain, n: 2, seq: 2 }]);
    // Nothing new: no save.
    marks.accept(room, bob, { chain, n: 1, seq: 1 });
    await vi.advanceTimersByTimeAsync(CHAIN_MARKS_SAVE_DELAY_MS);
    expect(store.saves).toBe(1);
  });

  it('saves at once on flush (log-out)', async () => {
    const store = vault();
    const marks = new ChainMarks(store);
    marks.accept(room, bob, { chain, n: 5, seq: 11 });
    await marks.flush();
    expect(decodeChainMarks(store.stored!)).toEqual([{ roomId: room, senderId: bob, chain, n: 5, seq: 11 }]);
    marks.stop();
  });

  it('saves into the vault it is handed after a passphrase change', async () => {
    const before = vault();
    const after = vault();
    const marks = new ChainMarks(before);
    marks.accept(room, bob, { chain, n: 1, seq: 4 });
    marks.useVault(after);
    await marks.flush();
    expect(before.saves).toBe(0);
    expect(decodeChainMarks(after.stored!)).toEqual([{ roomId: room, senderId: bob, chain, n: 1, seq: 4 }]);
    marks.stop();
  });

  it('never overwrites stored marks it cannot read', async () => {
    const newer = Uint8Array.of(2, 1, 2, 3);
    const store = vault(newer);
    const marks = new ChainMarks(store);
    marks.accept(room, bob, { chain, n: 1, seq: 1 });
    await marks.flush();
    expect(store.saves).toBe(0);
    expect(store.stored).toEqual(newer);
    expect(marks.markOf(room, bob)).toEqual({ roomId: room, senderId: bob, chain, n: 1, seq: 1 });
    expect(CHAIN_MARKS_EXTENSION).toBe(4);
  });
});
