import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, encodeU64 } from './bytes.js';
import { ProtocolError } from './errors.js';
import { KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS, type KdfParams } from './kdf.js';
import type { BundleExtension } from './key-bundle.js';

/** The key bundle extension type that holds the bundle's revision and KDF floor. */
export const BUNDLE_STATE_EXTENSION = 2;
export const BUNDLE_STATE_VERSION = 1;
/** version(1) revision(u64) kdfFloor(u32) */
export const BUNDLE_STATE_BYTES = 1 + 8 + 4;
/** Revisions are u64 on the wire but must stay exact as JavaScript numbers. */
export const BUNDLE_REVISION_MAX = Number.MAX_SAFE_INTEGER;
const WHAT = 'Key bundle state';

/**
 * Kept inside the sealed bundle, so the server can neither read nor change it:
 * `revision` grows by one on every re-seal, so an older copy the server serves
 * again is recognisable; `kdfFloor` is the highest PBKDF2 iteration count the
 * account has used, so a passphrase change never goes below it.
 */
export interface BundleState {
  revision: number;
  kdfFloor: number;
}

/** What a bundle without the extension (sealed before it existed) reads as: no floor beyond the minimum. */
export const UNTRACKED_BUNDLE_STATE: Readonly<BundleState> = Object.freeze({ revision: 0, kdfFloor: 0 });

/** value = version(1)=1 || revision(u64) || kdfFloor(u32) */
export function encodeBundleState(state: BundleState): Uint8Array {
  checkKdfFloor(state.kdfFloor);
  return concatBytes(Uint8Array.of(BUNDLE_STATE_VERSION), encodeU64(state.revision), encodeU32(state.kdfFloor));
}

/** Refuses a length other than 13, an unknown version, a revision above 2^53 - 1 and a floor outside the KDF range. */
export function decodeBundleState(value: Uint8Array): BundleState {
  if (!(value instanceof Uint8Array) || value.length !== BUNDLE_STATE_BYTES) {
    throw new ProtocolError('bad-length', `${WHAT} must be ${BUNDLE_STATE_BYTES} bytes long, got ${value?.length}.`);
  }
  const reader = new ByteReader(value, WHAT);
  const version = reader.u8('version');
  if (version !== BUNDLE_STATE_VERSION) throw new ProtocolError('bad-version', `Unknown ${WHAT} version ${version}.`);
  const revision = reader.u64('revision');
  const kdfFloor = reader.u32('KDF floor');
  checkKdfFloor(kdfFloor);
  return { revision, kdfFloor };
}

/** The state among a bundle's extensions; a bundle may hold at most one. */
export function readBundleState(extensions: readonly BundleExtension[]): BundleState {
  const entries = extensions.filter((extension) => extension.type === BUNDLE_STATE_EXTENSION);
  if (entries.length > 1) throw new ProtocolError('bad-encoding', `A key bundle holds ${entries.length} states.`);
  const entry = entries[0];
  return entry === undefined ? { ...UNTRACKED_BUNDLE_STATE } : decodeBundleState(entry.value);
}

/**
 * The state to seal into the bundle that replaces one in `stored` state: the
 * next revision, and a floor that never drops (`iterations`: the highest count
 * the sealing client knows the account to use).
 */
export function nextBundleState(stored: BundleState, iterations: number): BundleState {
  if (stored.revision >= BUNDLE_REVISION_MAX) {
    throw new ProtocolError('bad-encoding', `${WHAT} is at the last revision a number can hold.`);
  }
  return { revision: stored.revision + 1, kdfFloor: Math.max(stored.kdfFloor, iterations) };
}

/**
 * Section 17. `seen`: the highest revision of this account's bundle the client
 * has seen; `got`: the revision of the bundle the server hands out now. An older
 * one is refused ('rollback'): the server is serving a copy it was told to replace.
 */
export function checkBundleRevision(seen: number, got: number): void {
  checkRevision(seen, 'seen');
  checkRevision(got, 'received');
  if (got < seen) {
    throw new ProtocolError(
      'rollback',
      `The server sent an older copy of your keys (revision ${got}) than one already seen (revision ${seen}).`,
    );
  }
}

/**
 * Section 17. KDF parameters (already accepted by `decodeKdfParams`) below the
 * highest iteration count the client knows the account to use: the server
 * lowered them to make guessing the passphrase cheaper ('weak-kdf'). Null when
 * they are at or above the floor.
 */
export function kdfFloorProblem(params: KdfParams, floor: number): ProtocolError | null {
  if (!Number.isSafeInteger(floor) || floor < 0) {
    throw new ProtocolError('bad-encoding', `A KDF floor must be a non-negative integer, got ${floor}.`);
  }
  if (params.iterations >= floor) return null;
  return new ProtocolError(
    'weak-kdf',
    `KDF iteration count ${params.iterations} is below the ${floor} this account already used; refusing lowered parameters.`,
  );
}

function checkKdfFloor(floor: number): void {
  if (!Number.isInteger(floor) || floor < KDF_MIN_ITERATIONS || floor > KDF_MAX_ITERATIONS) {
    throw new ProtocolError(
      'bad-encoding',
      `${WHAT}: the KDF floor must be from ${KDF_MIN_ITERATIONS} to ${KDF_MAX_ITERATIONS}, got ${floor}.`,
    );
  }
}

function checkRevision(revision: number, which: string): void {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new ProtocolError('bad-encoding', `The ${which} bundle revision must be an integer from 0 to 2^53 - 1.`);
  }
}
