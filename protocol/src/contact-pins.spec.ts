import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, encodeU32 } from './bytes.js';
import { BUNDLE_STATE_EXTENSION, encodeBundleState } from './bundle-state.js';
import {
  CONTACT_PINS_EXTENSION,
  CONTACT_PIN_MAX_BYTES,
  comparePin,
  comparePinAmong,
  decodeContactPins,
  encodeContactPins,
  mergeContactPins,
  pinFor,
  type ContactPin,
} from './contact-pins.js';
import { createIdentity } from './identity.js';
import { KDF_MAX_ITERATIONS } from './kdf.js';
import { openKeyBundle, sealKeyBundle } from './key-bundle.js';
import { fromHex, randomBytes } from './bytes.js';
import { newUuid, uuidToBytes } from './uuid.js';

function pin(username: string, verified = false): ContactPin {
  return { userId: newUuid(), username, signPublicKey: randomBytes(32), verified };
}

const sorted = (pins: ContactPin[]) => [...pins].sort((a, b) => (a.userId < b.userId ? -1 : 1));

describe('contact pins', () => {
  it('round-trips, sorted by user id, with the verified mark', () => {
    const pins = [pin('bob'), pin('carol_99', true), pin('dave')];
    const value = encodeContactPins(pins);
    expect(value[0]).toBe(1);
    expect(decodeContactPins(value)).toEqual(sorted(pins));
    expect(decodeContactPins(encodeContactPins([]))).toEqual([]);
  });

  it('lays out each pin as documented', () => {
    const one = pin('bob', true);
    expect(encodeContactPins([one])).toEqual(
      concatBytes(
        Uint8Array.of(1),
        encodeU32(1),
        uuidToBytes(one.userId),
        Uint8Array.of(1),
        one.signPublicKey,
        Uint8Array.of(3),
        new TextEncoder().encode('bob'),
      ),
    );
  });

  it('fits hundreds of contacts with the longest usernames in a 64 KiB key bundle, beside the other extensions', () => {
    const pins = Array.from({ length: 750 }, (_, i) => pin(`user_${String(i).padStart(27, '0')}`));
    const value = encodeContactPins(pins);
    expect(value.length).toBe(5 + 750 * CONTACT_PIN_MAX_BYTES);
    const identity = createIdentity('alice');
    const wrapKey = randomBytes(32);
    const others = [
      { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState({ revision: 2 ** 40, kdfFloor: KDF_MAX_ITERATIONS }) },
      // The ML-KEM seed: version(1) || seed(64).
      { type: 3, value: randomBytes(65) },
    ];
    const sealed = sealKeyBundle(identity, wrapKey, [{ type: CONTACT_PINS_EXTENSION, value }, ...others]);
    expect(sealed.length).toBeLessThanOrEqual(64 * 1024);
    expect(decodeContactPins(openKeyBundle(sealed, wrapKey, 'alice').extensions[0]!.value)).toEqual(sorted(pins));
  });

  it('must reject: unknown version, unknown state, truncation, trailing bytes, repeats, bad usernames', () => {
    const one = pin('bob');
    const good = encodeContactPins([one]);
    const reject = (bytes: Uint8Array, code: string) =>
      expect(() => decodeContactPins(bytes)).toThrow(expect.objectContaining({ code }));
    reject(concatBytes(Uint8Array.of(2), good.subarray(1)), 'bad-version');
    const badState = good.slice();
    badState[5 + 16] = 2;
    reject(badState, 'bad-encoding');
    reject(good.subarray(0, good.length - 1), 'bad-length');
    reject(concatBytes(good, Uint8Array.of(0)), 'bad-length');
    const twice = concatBytes(Uint8Array.of(1), encodeU32(2), good.subarray(5), good.subarray(5));
    reject(twice, 'bad-encoding');
    const upper = good.slice();
    upper[upper.length - 1] = 'B'.charCodeAt(0);
    reject(upper, 'bad-encoding');
    expect(() => encodeContactPins([one, { ...one }])).toThrow(expect.objectContaining({ code: 'bad-encoding' }));
    expect(() => encodeContactPins([{ ...one, signPublicKey: new Uint8Array(31) }])).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
  });
});

describe('comparePin', () => {
  const bob = pin('bob');

  it('is new without a pin, same for the pinned key and name, changed otherwise', () => {
    expect(comparePin(null, 'bob', bob.signPublicKey)).toBe('new');
    expect(comparePin(bob, 'bob', bob.signPublicKey.slice())).toBe('same');
    expect(comparePin({ ...bob, verified: true }, 'bob', bob.signPublicKey)).toBe('same');
    expect(comparePin(bob, 'bob', randomBytes(32))).toBe('changed');
    expect(comparePin(bob, 'robert', bob.signPublicKey)).toBe('changed');
  });

  it('sees a change in any bit of the key', () => {
    for (let bit = 0; bit < 256; bit++) {
      const other = bob.signPublicKey.slice();
      other[bit >> 3]! ^= 1 << (bit & 7);
      expect(comparePin(bob, 'bob', other)).toBe('changed');
    }
  });

  it('compares usernames in canonical form, on both sides', () => {
    expect(comparePin(bob, '  BOB ', bob.signPublicKey)).toBe('same');
    expect(comparePin({ ...bob, username: 'Bob' }, 'bob', bob.signPublicKey)).toBe('same');
  });

  it('must reject a malformed key or username, even before anything is pinned', () => {
    expect(code(() => comparePin(null, 'bob', new Uint8Array(31)))).toBe('bad-length');
    expect(code(() => comparePin(bob, 'bob', new Uint8Array(33)))).toBe('bad-length');
    expect(code(() => comparePin(null, 'b', bob.signPublicKey))).toBe('bad-encoding');
    expect(code(() => comparePin(bob, '1bob', bob.signPublicKey))).toBe('bad-encoding');
  });
});

describe('pins by user id and by username', () => {
  const bob = pin('bob');
  const carol = pin('carol_99', true);
  const pins = [bob, carol];
  const newId = newUuid();

  it('pinFor finds the pin by id, else by canonical username, else nothing', () => {
    expect(pinFor(pins, bob.userId, 'bob')).toBe(bob);
    expect(pinFor(pins, bob.userId, 'robert')).toBe(bob);
    expect(pinFor(pins, newId, 'carol_99')).toBe(carol);
    expect(pinFor(pins, newId, ' Carol_99 ')).toBe(carol);
    expect(pinFor(pins, newId, 'carol')).toBeNull();
    expect(pinFor([], bob.userId, 'bob')).toBeNull();
    // The id wins over the name; among several pins for the name, a verified one.
    const stale = { ...pin('bob'), signPublicKey: bob.signPublicKey };
    expect(pinFor([stale, bob], bob.userId, 'bob')).toBe(bob);
    const verified = { ...bob, userId: newUuid(), verified: true };
    expect(pinFor([stale, verified, bob], newId, 'bob')).toBe(verified);
    // Any iterable, read once.
    expect(pinFor(new Map(pins.map((p) => [p.userId, p])).values(), newId, 'bob')).toBe(bob);
  });

  it('comparePinAmong compares with the id’s pin, as comparePin does', () => {
    expect(comparePinAmong(pins, bob.userId, 'bob', bob.signPublicKey.slice())).toBe('same');
    expect(comparePinAmong(pins, bob.userId, 'BOB', bob.signPublicKey)).toBe('same');
    expect(comparePinAmong(pins, bob.userId, 'bob', randomBytes(32))).toBe('changed');
    expect(comparePinAmong([], bob.userId, 'bob', bob.signPublicKey)).toBe('new');
    expect(comparePinAmong(pins, newId, 'dave', randomBytes(32))).toBe('new');
  });

  it('a known name under a new id is a change, with the pinned key or another', () => {
    expect(comparePinAmong(pins, newId, 'bob', bob.signPublicKey)).toBe('changed');
    expect(comparePinAmong(pins, newId, 'bob', randomBytes(32))).toBe('changed');
    expect(comparePinAmong(pins, newId, ' Carol_99', carol.signPublicKey)).toBe('changed');
    // Another name is another contact, even a longer one.
    expect(comparePinAmong(pins, newId, 'bobby', bob.signPublicKey)).toBe('new');
  });

  it('a known id with a new name is a change, also the name of another pinned contact', () => {
    expect(comparePinAmong(pins, bob.userId, 'robert', bob.signPublicKey)).toBe('changed');
    expect(comparePinAmong(pins, bob.userId, 'carol_99', carol.signPublicKey)).toBe('changed');
  });

  it('the pin for the id wins over an older id pinned for the same name', () => {
    const stale = { ...pin('bob'), signPublicKey: randomBytes(32) };
    expect(comparePinAmong([stale, bob], bob.userId, 'bob', bob.signPublicKey)).toBe('same');
  });

  it('must reject a malformed key or username, whatever is pinned', () => {
    expect(code(() => comparePinAmong([], newId, 'bob', new Uint8Array(31)))).toBe('bad-length');
    expect(code(() => comparePinAmong(pins, newId, 'bob', new Uint8Array(33)))).toBe('bad-length');
    expect(code(() => comparePinAmong(pins, bob.userId, '1bob', bob.signPublicKey))).toBe('bad-encoding');
    expect(code(() => comparePinAmong([], newId, '', bob.signPublicKey))).toBe('bad-encoding');
    expect(code(() => pinFor(pins, bob.userId, 'b'))).toBe('bad-encoding');
  });
});

interface HexPin {
  userId: string;
  username: string;
  signPublicKey: string;
  verified: boolean;
}
interface MergeCase {
  name: string;
  local: HexPin[];
  stored: HexPin[];
  removed: string[];
}
const mergeVectors = (
  JSON.parse(readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8')) as {
    mergeContactPins: { results: (MergeCase & { result: HexPin[] })[]; invalid: (MergeCase & { error: string })[] };
  }
).mergeContactPins;
const pinOf = (hex: HexPin): ContactPin => ({ ...hex, signPublicKey: fromHex(hex.signPublicKey) });
const mergeOf = (v: MergeCase) => mergeContactPins(v.local.map(pinOf), v.stored.map(pinOf), v.removed);

describe('merging contact pins', () => {
  it.each(mergeVectors.results)('$name', (v) => {
    expect(mergeOf(v)).toEqual(v.result.map(pinOf));
  });

  it.each(mergeVectors.invalid)('rejects $name with $error', (v) => {
    expect(code(() => mergeOf(v))).toBe(v.error);
  });

  it('never loses a pin or a verified mark of either side, in any mix', () => {
    for (let round = 0; round < 50; round++) {
      const shared = [pin('bob'), pin('carol_99'), pin('dave'), pin('erin')];
      const local = shared.map((p) => ({ ...p, verified: Math.random() < 0.5 })).concat(pin('frank'));
      const stored = shared.map((p) => ({ ...p, verified: Math.random() < 0.5 })).concat(pin('grace', true));
      const merged = mergeContactPins(local, stored, []);
      expect(merged).toEqual(sorted(merged));
      expect(merged.map((p) => p.userId).sort()).toEqual(
        [...shared, local[4]!, stored[4]!].map((p) => p.userId).sort(),
      );
      for (const p of merged) {
        const either = [...local, ...stored].filter((q) => q.userId === p.userId).some((q) => q.verified);
        expect(p.verified).toBe(either);
      }
    }
  });

  it('writes back what it merged', () => {
    const local = [pin('bob', true)];
    const stored = [pin('carol_99')];
    expect(decodeContactPins(encodeContactPins(mergeContactPins(local, stored, [])))).toEqual(
      sorted([...local, ...stored]),
    );
  });
});
