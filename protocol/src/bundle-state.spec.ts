// The key bundle's revision and KDF floor (docs/PROTOCOL.md sections 6 and 17),
// replayed from protocol/testdata/rules.json and checked through a real seal.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import {
  BUNDLE_REVISION_MAX,
  BUNDLE_STATE_BYTES,
  BUNDLE_STATE_EXTENSION,
  UNTRACKED_BUNDLE_STATE,
  checkBundleRevision,
  decodeBundleState,
  encodeBundleState,
  kdfFloorProblem,
  nextBundleState,
  readBundleState,
} from './bundle-state.js';
import { fromHex, randomBytes, toHex } from './bytes.js';
import { createIdentity } from './identity.js';
import { KDF_DEFAULT_ITERATIONS, KDF_MIN_ITERATIONS, newKdfParams } from './kdf.js';
import { openKeyBundle, sealKeyBundle } from './key-bundle.js';

interface Vectors {
  bundleState: {
    valid: { name: string; value: string; revision: number; kdfFloor: number }[];
    invalid: { name: string; value: string; error: string }[];
    revisions: { name: string; seen: number; got: number; error: string | null }[];
    kdfFloors: { name: string; iterations: number; floor: number; error: string | null }[];
  };
}

const { bundleState: vectors } = JSON.parse(
  readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8'),
) as Vectors;

describe('bundle state vectors', () => {
  it.each(vectors.valid)('reads and writes $name', (v) => {
    expect(decodeBundleState(fromHex(v.value))).toEqual({ revision: v.revision, kdfFloor: v.kdfFloor });
    expect(toHex(encodeBundleState({ revision: v.revision, kdfFloor: v.kdfFloor }))).toBe(v.value);
  });

  it.each(vectors.invalid)('rejects $name with $error', (v) => {
    expect(code(() => decodeBundleState(fromHex(v.value)))).toBe(v.error);
  });

  it.each(vectors.revisions)('checkBundleRevision: $name', (v) => {
    expect(code(() => checkBundleRevision(v.seen, v.got)) ?? null).toBe(v.error);
  });

  it.each(vectors.kdfFloors)('kdfFloorProblem: $name', (v) => {
    const params = { ...newKdfParams(KDF_MIN_ITERATIONS), iterations: v.iterations };
    const outcome = code(() => {
      const problem = kdfFloorProblem(params, v.floor);
      if (problem) throw problem;
    });
    expect(outcome ?? null).toBe(v.error);
  });
});

describe('bundle state', () => {
  it('is 13 bytes and refuses to write what it would refuse to read', () => {
    expect(encodeBundleState({ revision: 7, kdfFloor: KDF_DEFAULT_ITERATIONS })).toHaveLength(BUNDLE_STATE_BYTES);
    expect(code(() => encodeBundleState({ revision: -1, kdfFloor: KDF_DEFAULT_ITERATIONS }))).toBe('bad-encoding');
    expect(code(() => encodeBundleState({ revision: 2 ** 53, kdfFloor: KDF_DEFAULT_ITERATIONS }))).toBe('bad-encoding');
    expect(code(() => encodeBundleState({ revision: 1, kdfFloor: KDF_MIN_ITERATIONS - 1 }))).toBe('bad-encoding');
    expect(code(() => encodeBundleState({ revision: 1, kdfFloor: 1.5e6 + 0.5 }))).toBe('bad-encoding');
  });

  it('reads revision 0 and no floor from a bundle sealed before the state existed', () => {
    expect(readBundleState([{ type: 1, value: randomBytes(5) }])).toEqual(UNTRACKED_BUNDLE_STATE);
    expect(UNTRACKED_BUNDLE_STATE).toEqual({ revision: 0, kdfFloor: 0 });
  });

  it('travels sealed in the key bundle among other extensions', () => {
    const identity = createIdentity('alice');
    const wrapKey = randomBytes(32);
    const state = { revision: 41, kdfFloor: 2_000_000 };
    const extensions = [
      { type: 1, value: randomBytes(9) },
      { type: BUNDLE_STATE_EXTENSION, value: encodeBundleState(state) },
      { type: 200, value: randomBytes(3) },
    ];
    const opened = openKeyBundle(sealKeyBundle(identity, wrapKey, extensions), wrapKey, 'alice');
    expect(readBundleState(opened.extensions)).toEqual(state);
  });

  it('refuses a bundle holding two states', () => {
    const value = encodeBundleState({ revision: 1, kdfFloor: KDF_DEFAULT_ITERATIONS });
    const twice = [
      { type: BUNDLE_STATE_EXTENSION, value },
      { type: BUNDLE_STATE_EXTENSION, value },
    ];
    expect(code(() => readBundleState(twice))).toBe('bad-encoding');
  });

  it('passes a malformed state on as an error', () => {
    expect(code(() => readBundleState([{ type: BUNDLE_STATE_EXTENSION, value: Uint8Array.of(2) }]))).toBe('bad-length');
  });

  it('moves to the next revision with a floor that never drops', () => {
    expect(nextBundleState(UNTRACKED_BUNDLE_STATE, KDF_DEFAULT_ITERATIONS)).toEqual({
      revision: 1,
      kdfFloor: KDF_DEFAULT_ITERATIONS,
    });
    expect(nextBundleState({ revision: 9, kdfFloor: 3_000_000 }, KDF_DEFAULT_ITERATIONS)).toEqual({
      revision: 10,
      kdfFloor: 3_000_000,
    });
    expect(nextBundleState({ revision: 9, kdfFloor: 600_000 }, 700_000)).toEqual({ revision: 10, kdfFloor: 700_000 });
    expect(code(() => nextBundleState({ revision: BUNDLE_REVISION_MAX, kdfFloor: 600_000 }, 600_000))).toBe(
      'bad-encoding',
    );
  });

  it('explains a rollback in words', () => {
    expect(() => checkBundleRevision(5, 4)).toThrow(/older copy of your keys \(revision 4\).*revision 5/);
  });

  it('explains a lowered KDF in words', () => {
    const problem = kdfFloorProblem(newKdfParams(KDF_MIN_ITERATIONS), KDF_DEFAULT_ITERATIONS);
    expect(problem?.code).toBe('weak-kdf');
    expect(problem?.message).toMatch(/below the 1000000 this account already used/);
  });
});
