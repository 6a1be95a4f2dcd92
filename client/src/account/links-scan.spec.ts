import { SAFETY_NUMBER_QR_BYTES, createIdentity, safetyNumber } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { compareSafetyScan } from './links-scan.js';

const party = (userId: string, username: string) => {
  const identity = createIdentity(username);
  return { userId, username, signPublicKey: identity.signPublicKey };
};

describe('a scanned safety-number code', () => {
  it('matches exactly the code both people compute, from either side', async () => {
    const alice = party('00000000-0000-4000-8000-000000000001', 'alice');
    const bob = party('00000000-0000-4000-8000-000000000002', 'bob');
    const mine = await safetyNumber(alice, bob);
    const theirs = await safetyNumber(bob, alice);
    expect(compareSafetyScan(theirs.qr, mine, 'bob')).toEqual({ kind: 'match' });

    const mallory = party('00000000-0000-4000-8000-000000000003', 'mallory');
    const other = await safetyNumber(mallory, alice);
    const result = compareSafetyScan(other.qr, mine, 'bob');
    expect(result.kind).toBe('mismatch');
    expect(result.kind === 'mismatch' && result.message).toMatch(/does not match your safety number with bob/);

    const flipped = mine.qr.slice();
    flipped[SAFETY_NUMBER_QR_BYTES - 1] = flipped[SAFETY_NUMBER_QR_BYTES - 1]! ^ 1;
    expect(compareSafetyScan(flipped, mine, 'bob').kind).toBe('mismatch');
  });

  it('tells a code that is no safety number apart from one that differs', async () => {
    const mine = await safetyNumber(
      party('00000000-0000-4000-8000-000000000001', 'alice'),
      party('00000000-0000-4000-8000-000000000002', 'bob'),
    );
    for (const scanned of [
      new Uint8Array(0),
      new TextEncoder().encode('http://example.onion/chat/#add=bob'),
      mine.qr.slice(0, 60),
    ]) {
      const result = compareSafetyScan(scanned, mine, 'bob');
      expect(result.kind).toBe('not-a-code');
      expect(result.kind === 'not-a-code' && result.message).toMatch(/^That is not an OnionChat safety number code\./);
    }
  });
});
