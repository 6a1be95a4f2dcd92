import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, equalBytes, utf8Encode } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { SIGN_PUBLIC_KEY_BYTES } from './key-sizes.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';
import { canonicalUsername, encodeUsernameField, normalizeUsername } from './username.js';

/** The key bundle extension type that holds contact pins. */
export const CONTACT_PINS_EXTENSION = 1;
export const CONTACT_PINS_VERSION = 1;
/** userId(16) state(1) signPublicKey(32) u8 len(username) username(3..32): at most 82 bytes. */
export const CONTACT_PIN_MAX_BYTES = UUID_BYTES + 1 + SIGN_PUBLIC_KEY_BYTES + 1 + 32;
const STATE_PINNED = 0;
const STATE_VERIFIED = 1;
const WHAT = 'Contact pins';

/**
 * The identity key this account first saw for a contact (trust on first use),
 * and whether the person confirmed it by comparing safety numbers. Only the
 * Ed25519 key is pinned: it signs the contact's box key, so a box key that
 * does not verify under the pinned key is refused with it.
 */
export interface ContactPin {
  userId: string;
  username: string;
  signPublicKey: Uint8Array;
  verified: boolean;
}

/**
 * value = version(1)=1 || u32 BE count || pin*
 * pin   = userId(16) || state(1: 0 pinned, 1 verified) || signPublicKey(32)
 *         || u8 len(username) || username
 * Pins are written sorted by user id; a user id appears at most once.
 */
export function encodeContactPins(pins: readonly ContactPin[]): Uint8Array {
  const sorted = [...pins].sort(byUserId);
  const parts: Uint8Array[] = [Uint8Array.of(CONTACT_PINS_VERSION), encodeU32(sorted.length)];
  let previous: string | null = null;
  for (const pin of sorted) {
    if (pin.userId === previous) throw new ProtocolError('bad-encoding', `${WHAT} list ${pin.userId} twice.`);
    previous = pin.userId;
    requireLength(pin.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Pinned signing public key');
    parts.push(
      uuidToBytes(pin.userId),
      Uint8Array.of(pin.verified ? STATE_VERIFIED : STATE_PINNED),
      pin.signPublicKey,
      encodeUsernameField(pin.username),
    );
  }
  return concatBytes(...parts);
}

/** Refuses an unknown version or state, a bad username, a repeated user id and trailing bytes. */
export function decodeContactPins(value: Uint8Array): ContactPin[] {
  const reader = new ByteReader(value, WHAT);
  const version = reader.u8('version');
  if (version !== CONTACT_PINS_VERSION) throw new ProtocolError('bad-version', `Unknown ${WHAT} version ${version}.`);
  const count = reader.u32('count');
  const pins: ContactPin[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const userId = bytesToUuid(reader.take(UUID_BYTES, `pin ${i} user id`));
    const state = reader.u8(`pin ${i} state`);
    if (state !== STATE_PINNED && state !== STATE_VERIFIED) {
      throw new ProtocolError('bad-encoding', `${WHAT}: pin ${i} has an unknown state ${state}.`);
    }
    const signPublicKey = reader.take(SIGN_PUBLIC_KEY_BYTES, `pin ${i} signing key`);
    const nameBytes = reader.take(reader.u8(`pin ${i} username length`), `pin ${i} username`);
    const username = new TextDecoder().decode(nameBytes);
    if (canonicalUsername(username) !== username || !equalBytes(utf8Encode(username), nameBytes)) {
      throw new ProtocolError('bad-encoding', `${WHAT}: pin ${i} has a non-canonical username.`);
    }
    if (seen.has(userId)) throw new ProtocolError('bad-encoding', `${WHAT} list ${userId} twice.`);
    seen.add(userId);
    pins.push({ userId, username, signPublicKey, verified: state === STATE_VERIFIED });
  }
  if (reader.remaining !== 0) {
    throw new ProtocolError('bad-length', `${WHAT} has ${reader.remaining} bytes after the last pin.`);
  }
  return pins;
}

/** What a contact's pin says about the identity key the server presents for them now. */
export type PinVerdict =
  /** No pin: first contact; the client pins this key. */
  | 'new'
  /** The pinned key under the pinned username. */
  | 'same'
  /** Another key or username: refused until the person reviews the new safety number. */
  | 'changed';

/**
 * Section 16. `signPublicKey` comes from a public keys record that already
 * passed section 4 for `username`. The username counts too: the safety number
 * binds it, so the same key under another name is a change to review. Names
 * compare in canonical form (both sides), as everywhere in the protocol; keys
 * compare in constant time. Throws 'bad-length' for a key that is not 32
 * bytes and 'bad-encoding' for an invalid username, even without a pin, so a
 * malformed key is never pinned.
 */
export function comparePin(pin: ContactPin | null, username: string, signPublicKey: Uint8Array): PinVerdict {
  requireLength(signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Presented signing public key');
  const canonical = canonicalUsername(username);
  if (pin === null) return 'new';
  const sameName = normalizeUsername(pin.username) === canonical;
  return sameName && equalBytes(pin.signPublicKey, signPublicKey) ? 'same' : 'changed';
}

/**
 * Section 16. The pin a contact presented now is judged by: the pin for `userId`
 * if there is one, else a pin under another id for the same username (in canonical
 * form, both sides; a verified one first if several), else null. The client reads
 * from it whether the contact being replaced was verified. Throws 'bad-encoding'
 * for an invalid username.
 */
export function pinFor(pins: Iterable<ContactPin>, userId: string, username: string): ContactPin | null {
  const canonical = canonicalUsername(username);
  let byName: ContactPin | null = null;
  for (const pin of pins) {
    if (pin.userId === userId) return pin;
    if (normalizeUsername(pin.username) === canonical && (byName === null || (!byName.verified && pin.verified))) {
      byName = pin;
    }
  }
  return byName;
}

/**
 * Section 16. Judges a contact against all the pins, which are indexed by username as
 * well as by user id: the pin for `userId` is compared with `comparePin`; without one,
 * a pin for the same canonical username under another id makes it 'changed' (the
 * server presenting a known person under a new id, whatever the key); else 'new'.
 * Throws as `comparePin` does, even without a pin: 'bad-length' for a key that is not
 * 32 bytes, 'bad-encoding' for an invalid username.
 */
export function comparePinAmong(
  pins: Iterable<ContactPin>,
  userId: string,
  username: string,
  signPublicKey: Uint8Array,
): PinVerdict {
  requireLength(signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Presented signing public key');
  const pin = pinFor(pins, userId, username);
  if (pin !== null && pin.userId !== userId) return 'changed';
  return comparePin(pin, username, signPublicKey);
}

/**
 * Section 16. Combines this session's pins (`local`) with those another session
 * stored meanwhile, by adding only: every pin of either side is kept, except stored
 * pins whose id is in `removedIds` (pins this session removed stay removed). For an
 * id on both sides, the local pin wins; when both pin the same key under the same
 * username it is verified if either side verified it, so a verified mark is never
 * lost to a merge. Sorted by user id, as stored. Throws 'bad-length' for a key that
 * is not 32 bytes.
 */
export function mergeContactPins(
  local: Iterable<ContactPin>,
  stored: Iterable<ContactPin>,
  removedIds: Iterable<string>,
): ContactPin[] {
  const removed = new Set(removedIds);
  const merged = new Map<string, ContactPin>();
  for (const pin of stored) {
    requireLength(pin.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Stored pinned signing public key');
    if (!removed.has(pin.userId)) merged.set(pin.userId, pin);
  }
  for (const pin of local) {
    requireLength(pin.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Pinned signing public key');
    const other = merged.get(pin.userId);
    const verifiedThere = other !== undefined && other.verified && samePinnedKey(pin, other);
    merged.set(pin.userId, verifiedThere && !pin.verified ? { ...pin, verified: true } : pin);
  }
  return [...merged.values()].sort(byUserId);
}

function samePinnedKey(a: ContactPin, b: ContactPin): boolean {
  return a.username === b.username && equalBytes(a.signPublicKey, b.signPublicKey);
}

function byUserId(a: ContactPin, b: ContactPin): number {
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}
