import { fromHex, randomBytes, toHex } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';

export const UUID_BYTES = 16;

/**
 * The canonical text form only: lower-case hex in groups of 8-4-4-4-12.
 * Upper case, braces, "urn:uuid:" and missing dashes are refused, so an id
 * has exactly one spelling and string equality is id equality.
 */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GROUP_ENDS = [8, 12, 16, 20, 32];
const VERSION_INDEX = 6;
const VERSION_4 = 0x40;
const VARIANT_INDEX = 8;
const VARIANT_RFC_4122 = 0x80;

/** Ids (rooms, users, messages) travel inside records as their 16 raw bytes. */
/** A canonical UUID: lower-case hex in the 8-4-4-4-12 form (one spelling per id). */
export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID_PATTERN.test(id);
}

export function uuidToBytes(id: string): Uint8Array {
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) {
    throw new ProtocolError('bad-encoding', `Not a canonical lower-case UUID: ${JSON.stringify(id)}.`);
  }
  return fromHex(id.replaceAll('-', ''));
}

export function bytesToUuid(bytes: Uint8Array): string {
  requireLength(bytes, UUID_BYTES, 'UUID');
  const hex = toHex(bytes);
  const groups: string[] = [];
  let start = 0;
  for (const end of GROUP_ENDS) {
    groups.push(hex.slice(start, end));
    start = end;
  }
  return groups.join('-');
}

/** A random (version 4) UUID. Any 16 bytes are accepted as an id; only new ones are v4. */
export function newUuid(): string {
  const bytes = randomBytes(UUID_BYTES);
  bytes[VERSION_INDEX] = ((bytes[VERSION_INDEX] as number) & 0x0f) | VERSION_4;
  bytes[VARIANT_INDEX] = ((bytes[VARIANT_INDEX] as number) & 0x3f) | VARIANT_RFC_4122;
  return bytesToUuid(bytes);
}
