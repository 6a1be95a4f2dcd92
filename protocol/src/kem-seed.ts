import { ByteReader } from './byte-reader.js';
import { concatBytes } from './bytes.js';
import { ProtocolError } from './errors.js';
import { KEM_SEED_BYTES } from './key-sizes.js';
import type { BundleExtension } from './key-bundle.js';

/** The key bundle extension type that holds the ML-KEM-768 seed. */
export const KEM_SEED_EXTENSION = 3;
export const KEM_SEED_VERSION = 1;
/** version(1) || seed(64) */
export const KEM_SEED_VALUE_BYTES = 1 + KEM_SEED_BYTES;
const WHAT = 'ML-KEM seed extension';

/** value = version(1)=1 || seed(64) */
export function encodeKemSeed(seed: Uint8Array): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== KEM_SEED_BYTES) {
    throw new ProtocolError('bad-length', `An ML-KEM seed must be ${KEM_SEED_BYTES} bytes long.`);
  }
  return concatBytes(Uint8Array.of(KEM_SEED_VERSION), seed);
}

/** Refuses an unknown version, a short seed and trailing bytes. */
export function decodeKemSeed(value: Uint8Array): Uint8Array {
  const reader = new ByteReader(value, WHAT);
  const version = reader.u8('version');
  if (version !== KEM_SEED_VERSION) throw new ProtocolError('bad-version', `Unknown ${WHAT} version ${version}.`);
  const seed = reader.take(KEM_SEED_BYTES, 'seed');
  if (reader.remaining !== 0) {
    throw new ProtocolError('bad-length', `The ${WHAT} has ${reader.remaining} bytes after the seed.`);
  }
  return seed;
}

/** The ML-KEM seed kept in a key bundle's extensions, or null when the account has none yet. */
export function kemSeedOf(extensions: readonly BundleExtension[]): Uint8Array | null {
  const entry = extensions.find((extension) => extension.type === KEM_SEED_EXTENSION);
  return entry === undefined ? null : decodeKemSeed(entry.value);
}
