import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, encodeU64, isAllZero } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { checkEpoch, checkVersion } from './fields.js';
import { SIGN_PUBLIC_KEY_BYTES } from './key-sizes.js';
import { SIGNATURE_BYTES } from './public-keys.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

export const GROUP_RECORD_VERSION = 1;
/** Everything but the entries and the info: 86 bytes of fields and a 64-byte signature. */
export const GROUP_RECORD_MIN_BYTES = 150;
/** The most entries one record carries, and the highest member limit a server may set. */
export const GROUP_RECORD_MAX_ENTRIES = 1000;
/** First 32 bytes of SHA-512 over a whole record: how the next record names it. */
export const GROUP_RECORD_DIGEST_BYTES = 32;
/** userId(16) role(1) signPublicKey(32) */
const ENTRY_BYTES = UUID_BYTES + 1 + SIGN_PUBLIC_KEY_BYTES;
const COUNT_OFFSET = 82;
const U16_MAX = 0xffff;
/** A sealed info is at least its nonce and its Poly1305 tag. */
export const GROUP_INFO_MIN_BYTES = nacl.secretbox.nonceLength + nacl.secretbox.overheadLength;
const WHAT = 'Group record';

export type GroupAction = 'create' | 'add' | 'remove' | 'leave' | 'role' | 'rename';
export type GroupRole = 'none' | 'member' | 'admin';

export interface GroupEntry {
  userId: string;
  role: GroupRole;
  signPublicKey: Uint8Array;
}

export interface GroupRecordFields {
  roomId: string;
  /** 0 for the first record, then one more than the record before. */
  index: number;
  /** groupRecordDigest of the record before; 32 zero bytes at index 0. */
  previous: Uint8Array;
  signerId: string;
  /** The room's epoch once this record applies. */
  epoch: number;
  /** Milliseconds since 1970 by the signer's clock. */
  sentAt: number;
  action: GroupAction;
  entries: GroupEntry[];
  /** The sealed group info (sealGroupInfo), or empty. */
  info: Uint8Array;
}

export interface DecodedGroupRecord extends GroupRecordFields {
  signature: Uint8Array;
}

const ACTIONS: readonly GroupAction[] = ['create', 'add', 'remove', 'leave', 'role', 'rename'];
const ROLES: readonly GroupRole[] = ['none', 'member', 'admin'];

/**
 * What each action may carry (PROTOCOL.md §19). `entries`: how many; `roles`: the
 * roles an entry may have; `keys`: a signing key, or 32 zero bytes ("no key", so a
 * removal or role change cannot smuggle in a key); `info`: required or empty.
 */
interface ActionShape {
  entries: 'some' | 'one' | 'none';
  roles: readonly GroupRole[];
  keys: 'key' | 'zero';
  info: boolean;
}
const JOINING: ActionShape = { entries: 'some', roles: ['member', 'admin'], keys: 'key', info: true };
const SHAPES: Record<GroupAction, ActionShape> = {
  create: JOINING,
  add: JOINING,
  remove: { entries: 'some', roles: ['none'], keys: 'zero', info: true },
  leave: { entries: 'none', roles: [], keys: 'zero', info: false },
  role: { entries: 'one', roles: ['member', 'admin'], keys: 'zero', info: false },
  rename: { entries: 'none', roles: [], keys: 'zero', info: true },
};

export function groupRecordDigest(record: Uint8Array): Uint8Array {
  return nacl.hash(record).slice(0, GROUP_RECORD_DIGEST_BYTES);
}

/**
 * The record up to its signature. Every field is checked by the rule that writes it;
 * callers then run decodeGroupRecord's rules over the result.
 */
export function encodeGroupRecordBody(fields: GroupRecordFields): Uint8Array {
  requireLength(fields.previous, GROUP_RECORD_DIGEST_BYTES, 'Previous record digest');
  checkEpoch(fields.epoch, WHAT);
  const action = ACTIONS.indexOf(fields.action);
  if (action < 0) throw badEncoding(`the action ${JSON.stringify(fields.action)} is unknown`);
  if (!Array.isArray(fields.entries) || fields.entries.length > GROUP_RECORD_MAX_ENTRIES) {
    throw badEncoding(`it may carry at most ${GROUP_RECORD_MAX_ENTRIES} entries`);
  }
  if (!(fields.info instanceof Uint8Array) || fields.info.length > U16_MAX) {
    throw new ProtocolError('too-large', `${WHAT}: the info must be a byte array of at most ${U16_MAX} bytes.`);
  }
  return concatBytes(
    Uint8Array.of(GROUP_RECORD_VERSION),
    uuidToBytes(fields.roomId),
    encodeU32(fields.index),
    fields.previous,
    uuidToBytes(fields.signerId),
    encodeU32(fields.epoch),
    encodeU64(fields.sentAt),
    Uint8Array.of(action + 1),
    encodeU16(fields.entries.length),
    ...fields.entries.map(encodeEntry),
    encodeU16(fields.info.length),
    fields.info,
  );
}

/**
 * Must reject, in this order: another version ('bad-version') or an empty record
 * ('bad-length'); a length that does not match the count and info length
 * ('bad-length'); an epoch of 0, a sentAt above 2^53 - 1, an unknown action or role,
 * a count above 1,000, an entry id twice, or entries, roles, keys or info the action
 * does not allow ('bad-encoding'). Checks no signature: the server uses it too.
 */
export function decodeGroupRecord(record: Uint8Array): DecodedGroupRecord {
  checkVersion(record, GROUP_RECORD_VERSION, WHAT);
  checkLength(record);
  const reader = new ByteReader(record, WHAT);
  reader.u8('version');
  const roomId = bytesToUuid(reader.take(UUID_BYTES, 'room id'));
  const index = reader.u32('index');
  const previous = reader.take(GROUP_RECORD_DIGEST_BYTES, 'previous');
  const signerId = bytesToUuid(reader.take(UUID_BYTES, 'signer id'));
  const epoch = reader.u32('epoch');
  const sentAt = reader.u64('sentAt');
  const action = readAction(reader.u8('action'));
  const entries = readEntries(reader);
  const info = reader.take(reader.u16('info length'), 'info');
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  if (epoch === 0) throw badEncoding('its epoch is 0');
  const decoded = { roomId, index, previous, signerId, epoch, sentAt, action, entries, info, signature };
  checkShape(decoded);
  return decoded;
}

/** bad-length unless the record is exactly as long as its count and info length say. */
function checkLength(record: Uint8Array): void {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  let expected = GROUP_RECORD_MIN_BYTES;
  if (record.length >= expected) expected += ENTRY_BYTES * view.getUint16(COUNT_OFFSET, false);
  const infoLengthOffset = expected - SIGNATURE_BYTES - 2;
  if (record.length >= expected) expected += view.getUint16(infoLengthOffset, false);
  if (record.length !== expected) {
    throw new ProtocolError(
      'bad-length',
      `${WHAT} is ${record.length} bytes long, but its count and info length make ${expected} bytes (at least ${GROUP_RECORD_MIN_BYTES}).`,
    );
  }
}

function readAction(code: number): GroupAction {
  const action = ACTIONS[code - 1];
  if (action === undefined) throw badEncoding(`the action ${code} is unknown`);
  return action;
}

function readEntries(reader: ByteReader): GroupEntry[] {
  const count = reader.u16('count');
  if (count > GROUP_RECORD_MAX_ENTRIES)
    throw badEncoding(`it has ${count} entries, more than ${GROUP_RECORD_MAX_ENTRIES}`);
  const entries: GroupEntry[] = [];
  for (let i = 0; i < count; i++) {
    const userId = bytesToUuid(reader.take(UUID_BYTES, 'entry user id'));
    const code = reader.u8('entry role');
    const role = ROLES[code];
    if (role === undefined) throw badEncoding(`an entry has the unknown role ${code}`);
    entries.push({ userId, role, signPublicKey: reader.take(SIGN_PUBLIC_KEY_BYTES, 'entry signing key') });
  }
  return entries;
}

/** The action table: how many entries, which roles and keys, and whether info is required. */
function checkShape(record: GroupRecordFields): void {
  const shape = SHAPES[record.action];
  const { entries, action } = record;
  if (new Set(entries.map((entry) => entry.userId)).size !== entries.length) {
    throw badEncoding('it lists a user twice');
  }
  const count = { some: entries.length >= 1, one: entries.length === 1, none: entries.length === 0 };
  if (!count[shape.entries]) throw badEncoding(`a ${action} record cannot carry ${entries.length} entries`);
  for (const entry of entries) {
    if (!shape.roles.includes(entry.role)) throw badEncoding(`a ${action} record cannot give the role ${entry.role}`);
    if (isAllZero(entry.signPublicKey) !== (shape.keys === 'zero')) {
      throw badEncoding(`a ${action} record must carry ${shape.keys === 'zero' ? 'no key (zeros)' : 'a signing key'}`);
    }
  }
  if (shape.info && record.info.length < GROUP_INFO_MIN_BYTES) {
    throw badEncoding(`a ${action} record must carry the group info`);
  }
  if (!shape.info && record.info.length !== 0) throw badEncoding(`a ${action} record carries no info`);
}

function encodeEntry(entry: GroupEntry): Uint8Array {
  const role = ROLES.indexOf(entry.role);
  if (role < 0) throw badEncoding(`the role ${JSON.stringify(entry.role)} is unknown`);
  requireLength(entry.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Entry signing key');
  return concatBytes(uuidToBytes(entry.userId), Uint8Array.of(role), entry.signPublicKey);
}

function encodeU16(value: number): Uint8Array {
  return Uint8Array.of(value >> 8, value & 0xff);
}

function badEncoding(reason: string): ProtocolError {
  return new ProtocolError('bad-encoding', `${WHAT} is invalid: ${reason}.`);
}
