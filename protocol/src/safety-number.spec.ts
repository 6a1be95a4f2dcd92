import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { concatBytes, encodeU32, utf8Encode } from './bytes.js';
import { createIdentity } from './identity.js';
import { SAFETY_NUMBER_QR_BYTES, matchSafetyNumberQr, safetyNumber } from './safety-number.js';
import { newUuid, uuidToBytes } from './uuid.js';

const alice = createIdentity('alice');
const bob = createIdentity('bob');
const ids = new Map([
  [alice, newUuid()],
  [bob, newUuid()],
]);
const party = (id: typeof alice, userId = ids.get(id) ?? newUuid()) => ({
  userId,
  username: id.username,
  signPublicKey: id.signPublicKey,
});

/** The same derivation written out directly with tweetnacl's SHA-512. */
function referenceHalf(userId: string, username: string, key: Uint8Array): Uint8Array {
  const name = utf8Encode(username);
  let hash = nacl.hash(
    concatBytes(
      utf8Encode('OnionChat safety number\0'),
      encodeU32(2),
      uuidToBytes(userId),
      Uint8Array.of(name.length),
      name,
      key,
    ),
  );
  for (let i = 0; i < 5200; i++) hash = nacl.hash(concatBytes(hash, key));
  return hash.slice(0, 30);
}

describe('safety numbers', () => {
  it('is the same 60 digits in 12 groups of 5 on both sides', async () => {
    const forAlice = await safetyNumber(party(alice), party(bob));
    const forBob = await safetyNumber(party(bob), party(alice));
    expect(forAlice).toEqual(forBob);
    expect(forAlice.digits).toMatch(/^\d{60}$/);
    expect(forAlice.groups).toHaveLength(12);
    for (const group of forAlice.groups) expect(group).toMatch(/^\d{5}$/);
    expect(forAlice.groups.join('')).toBe(forAlice.digits);
  });

  it('follows the documented derivation, lower half first', async () => {
    const number = await safetyNumber(party(alice), party(bob));
    const halves = [
      referenceHalf(ids.get(alice)!, 'alice', alice.signPublicKey),
      referenceHalf(ids.get(bob)!, 'bob', bob.signPublicKey),
    ];
    const [low, high] =
      Buffer.compare(Buffer.from(halves[0]!), Buffer.from(halves[1]!)) <= 0 ? halves : halves.reverse();
    expect(number.qr).toEqual(concatBytes(Uint8Array.of(2), low!, high!));
    const first = low!.subarray(0, 5).reduce((value, byte) => value * 256 + byte, 0) % 100_000;
    expect(number.groups[0]).toBe(String(first).padStart(5, '0'));
  });

  it('changes when either key, either username or either user id changes', async () => {
    const base = await safetyNumber(party(alice), party(bob));
    const mallory = createIdentity('bob');
    expect((await safetyNumber(party(alice), party(mallory))).digits).not.toBe(base.digits);
    const renamed = { ...party(bob), username: 'bobby' };
    expect((await safetyNumber(party(alice), renamed)).digits).not.toBe(base.digits);
    // The same name and key under another account (the name was taken over) is another number.
    expect((await safetyNumber(party(alice), party(bob, newUuid()))).digits).not.toBe(base.digits);
    // Only the half of the person whose key changed moves.
    const changed = await safetyNumber(party(alice), party(mallory));
    const shared = base.groups.filter((group) => changed.groups.includes(group));
    expect(shared.length).toBeGreaterThanOrEqual(6);
  });

  it('matches a scanned QR payload only when it is the same number', async () => {
    const number = await safetyNumber(party(alice), party(bob));
    const other = await safetyNumber(party(alice), party(createIdentity('bob')));
    expect(number.qr).toHaveLength(SAFETY_NUMBER_QR_BYTES);
    expect(matchSafetyNumberQr(number.qr.slice(), number)).toBe(true);
    expect(matchSafetyNumberQr(other.qr, number)).toBe(false);
  });

  it('rejects a payload that is not a safety number code', async () => {
    const number = await safetyNumber(party(alice), party(bob));
    expect(() => matchSafetyNumberQr(new Uint8Array(0), number)).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    const wrongVersion = number.qr.slice();
    wrongVersion[0] = 1;
    expect(() => matchSafetyNumberQr(wrongVersion, number)).toThrow(expect.objectContaining({ code: 'bad-version' }));
    expect(() => matchSafetyNumberQr(number.qr.subarray(0, 60), number)).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
  });

  it('refuses a key of the wrong length, an invalid username or an invalid user id', async () => {
    await expect(safetyNumber({ ...party(alice), signPublicKey: new Uint8Array(31) }, party(bob))).rejects.toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
    await expect(safetyNumber({ ...party(bob), username: 'no spaces' }, party(bob))).rejects.toThrow(
      expect.objectContaining({ code: 'bad-encoding' }),
    );
    await expect(safetyNumber({ ...party(bob), userId: 'BOB' }, party(alice))).rejects.toThrow(
      expect.objectContaining({ code: 'bad-encoding' }),
    );
  });
});
