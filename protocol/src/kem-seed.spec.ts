import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes.js';
import { addKemKeys, createIdentity, identityFromSeeds } from './identity.js';
import { KEM_SEED_EXTENSION, decodeKemSeed, encodeKemSeed, kemSeedOf } from './kem-seed.js';

const seed = new Uint8Array(64).map((_, i) => i);

describe('ML-KEM seed extension', () => {
  it('is version 1 followed by the 64-byte seed, and reads back', () => {
    const value = encodeKemSeed(seed);
    expect(value).toEqual(concatBytes(Uint8Array.of(1), seed));
    expect(decodeKemSeed(value)).toEqual(seed);
  });

  it('refuses an unknown version, a short or long value and a wrong-sized seed', () => {
    const value = encodeKemSeed(seed);
    const refuse = (bytes: Uint8Array, code: string) =>
      expect(() => decodeKemSeed(bytes)).toThrow(expect.objectContaining({ code }));
    refuse(new Uint8Array(0), 'bad-length');
    refuse(value.subarray(0, 64), 'bad-length');
    refuse(concatBytes(value, Uint8Array.of(0)), 'bad-length');
    refuse(concatBytes(Uint8Array.of(2), seed), 'bad-version');
    refuse(concatBytes(Uint8Array.of(0), seed), 'bad-version');
    expect(() => encodeKemSeed(seed.subarray(0, 32))).toThrow(expect.objectContaining({ code: 'bad-length' }));
  });

  it('is found among the bundle extensions, or null when the account has none', () => {
    const other = { type: 1, value: Uint8Array.of(1, 2, 3) };
    expect(kemSeedOf([other])).toBeNull();
    expect(kemSeedOf([other, { type: KEM_SEED_EXTENSION, value: encodeKemSeed(seed) }])).toEqual(seed);
    expect(() => kemSeedOf([{ type: KEM_SEED_EXTENSION, value: Uint8Array.of(1) }])).toThrow(
      expect.objectContaining({ code: 'bad-length' }),
    );
  });

  it('gives back the same ML-KEM keys the seed was drawn for', () => {
    const identity = createIdentity('alice');
    const stored = kemSeedOf([{ type: KEM_SEED_EXTENSION, value: encodeKemSeed(identity.kem!.seed) }]);
    const reopened = identityFromSeeds('alice', identity.boxSecretKey, identity.signSeed, stored);
    expect(reopened).toEqual(identity);
    expect(addKemKeys(identityFromSeeds('alice', identity.boxSecretKey, identity.signSeed), stored!)).toEqual(identity);
  });
});
