import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { ZERO_KEY, changing, fieldsAfter, joining, person, recordAfter } from '../test-support/group-records.js';
import { concatBytes, encodeU32, encodeU64, utf8Encode } from './bytes.js';
import { ED25519_GROUP_ORDER } from './crypto-steps.js';
import {
  GROUP_INFO_MIN_BYTES,
  GROUP_RECORD_MAX_ENTRIES,
  GROUP_RECORD_MIN_BYTES,
  decodeGroupRecord,
  groupRecordDigest,
  type GroupRecordFields,
} from './group-record.js';
import {
  signGroupRecord,
  signGroupRecordAsync,
  verifyGroupRecordSignature,
  verifyGroupRecordSignatureAsync,
} from './group-signature.js';
import { uuidToBytes, newUuid } from './uuid.js';

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const room = newUuid();
const create = recordAfter(null, room, alice, 'create', 1, [joining(alice, 'admin'), joining(bob)]);
const info = fieldsAfter(null, room, alice, 'create', 1).info;

interface RawEntry {
  id: string;
  role: number;
  key?: Uint8Array;
}
interface Raw {
  version?: number;
  epoch?: number;
  sentAt?: Uint8Array;
  action?: number;
  entries?: RawEntry[];
  count?: number;
  info?: Uint8Array;
  infoLength?: number;
}

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);

/** A record written byte by byte, with any field the rules reject; its signature is zeros (decode checks none). */
function raw({
  version = 1,
  epoch = 1,
  sentAt = encodeU64(1),
  action = 1,
  entries = [
    { id: alice.id, role: 2, key: alice.identity.signPublicKey },
    { id: bob.id, role: 1, key: bob.identity.signPublicKey },
  ],
  count = entries.length,
  info: infoBytes = info,
  infoLength = infoBytes.length,
}: Raw = {}): Uint8Array {
  return concatBytes(
    Uint8Array.of(version),
    uuidToBytes(room),
    encodeU32(0),
    new Uint8Array(32),
    uuidToBytes(alice.id),
    encodeU32(epoch),
    sentAt,
    Uint8Array.of(action),
    u16(count),
    ...entries.map((e) => concatBytes(uuidToBytes(e.id), Uint8Array.of(e.role), e.key ?? ZERO_KEY)),
    u16(infoLength),
    infoBytes,
    new Uint8Array(64),
  );
}
const none = new Uint8Array(0);
const key = (who: typeof alice) => who.identity.signPublicKey;

describe('group record layout', () => {
  it('is 150 bytes plus 49 per entry and the info, field by field, signed over the label and the rest', () => {
    expect(create).toHaveLength(GROUP_RECORD_MIN_BYTES + 2 * 49 + info.length);
    expect(create[0]).toBe(1);
    expect(create.subarray(1, 17)).toEqual(uuidToBytes(room));
    expect(create.subarray(17, 21)).toEqual(encodeU32(0));
    expect(create.subarray(21, 53)).toEqual(new Uint8Array(32));
    expect(create.subarray(53, 69)).toEqual(uuidToBytes(alice.id));
    expect(create.subarray(69, 73)).toEqual(encodeU32(1));
    expect(create[81]).toBe(1);
    expect(create.subarray(82, 84)).toEqual(u16(2));
    expect(create.subarray(84, 100)).toEqual(uuidToBytes(alice.id));
    expect(create[100]).toBe(2);
    expect(create.subarray(101, 133)).toEqual(key(alice));
    expect(create[149]).toBe(1);
    expect(create.subarray(182, 184)).toEqual(u16(info.length));
    const signed = create.subarray(0, create.length - 64);
    const label = utf8Encode('OnionChat v1 group record\0');
    expect(nacl.sign.detached.verify(concatBytes(label, signed), create.subarray(-64), key(alice))).toBe(true);
    expect(GROUP_INFO_MIN_BYTES).toBe(40);
  });

  it('names a record by the first 32 bytes of its SHA-512', () => {
    expect(groupRecordDigest(create)).toEqual(nacl.hash(create).slice(0, 32));
  });
});

describe('group record round trips', () => {
  const steps: [string, GroupRecordFields][] = [
    ['create', fieldsAfter(null, room, alice, 'create', 1, [joining(alice, 'admin'), joining(bob)])],
    ['add', fieldsAfter(create, room, alice, 'add', 2, [joining(carol, 'admin')])],
    ['remove', fieldsAfter(create, room, alice, 'remove', 2, [changing(bob)])],
    ['leave', fieldsAfter(create, room, bob, 'leave', 2)],
    ['role', fieldsAfter(create, room, alice, 'role', 1, [changing(bob, 'admin')])],
    ['rename', fieldsAfter(create, room, alice, 'rename', 1)],
  ];

  it.each(steps)('%s: decodes to the fields it was signed from', (_, fields) => {
    const record = signGroupRecord(fields, alice.identity);
    const { signature, ...decoded } = decodeGroupRecord(record);
    expect(decoded).toEqual(fields);
    expect(signature).toEqual(record.subarray(-64));
  });

  it('carries sentAt up to 2^53 - 1 and 1,000 entries', () => {
    const many = Array.from({ length: GROUP_RECORD_MAX_ENTRIES }, () => ({ ...joining(bob), userId: newUuid() }));
    const fields = { ...fieldsAfter(null, room, alice, 'create', 1, many), sentAt: Number.MAX_SAFE_INTEGER };
    const decoded = decodeGroupRecord(signGroupRecord(fields, alice.identity));
    expect(decoded.entries).toHaveLength(1000);
    expect(decoded.sentAt).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('signs the same bytes natively', async () => {
    for (const [, fields] of steps) {
      expect(await signGroupRecordAsync(fields, alice.identity)).toEqual(signGroupRecord(fields, alice.identity));
    }
  });
});

describe('decoding must reject, in order', () => {
  it('another version, checked first, or an empty record', () => {
    expect(code(() => decodeGroupRecord(new Uint8Array(0)))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw({ version: 0 })))).toBe('bad-version');
    expect(code(() => decodeGroupRecord(raw({ version: 2 })))).toBe('bad-version');
    expect(code(() => decodeGroupRecord(Uint8Array.of(2)))).toBe('bad-version');
    expect(code(() => decodeGroupRecord(raw({ version: 2, epoch: 0, action: 9 }).subarray(0, 100)))).toBe(
      'bad-version',
    );
  });

  it('a length that does not match the count and the info length', () => {
    expect(code(() => decodeGroupRecord(Uint8Array.of(1)))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw().subarray(0, GROUP_RECORD_MIN_BYTES - 1)))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(create.subarray(0, create.length - 1)))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(concatBytes(create, Uint8Array.of(0))))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw({ count: 3 })))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw({ count: 1 })))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw({ infoLength: info.length + 1 })))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw({ infoLength: info.length - 1 })))).toBe('bad-length');
    expect(code(() => decodeGroupRecord(raw({ count: 0xffff })))).toBe('bad-length');
    // Before any field rule: an epoch of 0 and an unknown action do not change the code.
    expect(code(() => decodeGroupRecord(raw({ epoch: 0, action: 9, count: 3 })))).toBe('bad-length');
  });

  it('an epoch of 0, a sentAt above 2^53 - 1, an unknown action or role, more than 1,000 entries', () => {
    expect(code(() => decodeGroupRecord(raw({ epoch: 0 })))).toBe('bad-encoding');
    expect(code(() => decodeGroupRecord(raw({ sentAt: encodeU64(2 ** 53 - 1) })))).toBeUndefined();
    const tooLate = concatBytes(encodeU32(0x20_0000), encodeU32(0));
    expect(code(() => decodeGroupRecord(raw({ sentAt: tooLate })))).toBe('bad-encoding');
    expect(code(() => decodeGroupRecord(raw({ action: 0 })))).toBe('bad-encoding');
    expect(code(() => decodeGroupRecord(raw({ action: 7 })))).toBe('bad-encoding');
    const role3 = [
      { id: alice.id, role: 2, key: key(alice) },
      { id: bob.id, role: 3, key: key(bob) },
    ];
    expect(code(() => decodeGroupRecord(raw({ entries: role3 })))).toBe('bad-encoding');
    const many = Array.from({ length: 1001 }, () => ({ id: newUuid(), role: 1, key: key(bob) }));
    expect(code(() => decodeGroupRecord(raw({ entries: many })))).toBe('bad-encoding');
    expect(code(() => decodeGroupRecord(raw({ entries: many.slice(0, 1000) })))).toBeUndefined();
  });

  it('the same user twice', () => {
    const twice = [
      { id: alice.id, role: 2, key: key(alice) },
      { id: bob.id, role: 1, key: key(bob) },
      { id: bob.id, role: 2, key: key(bob) },
    ];
    expect(code(() => decodeGroupRecord(raw({ entries: twice })))).toBe('bad-encoding');
  });

  const entry = (id: string, role: number, k?: Uint8Array) => ({ id, role, ...(k ? { key: k } : {}) });
  const cases: [string, Raw][] = [
    ['create without entries', { action: 1, entries: [] }],
    ['create with role 0', { action: 1, entries: [entry(alice.id, 2, key(alice)), entry(bob.id, 0, key(bob))] }],
    ['create with a zero key', { action: 1, entries: [entry(alice.id, 2, key(alice)), entry(bob.id, 1)] }],
    ['create without info', { action: 1, info: none }],
    ['create with less info than a nonce and a tag', { action: 1, info: info.subarray(0, 39) }],
    ['add without entries', { action: 2, entries: [] }],
    ['add with role 0', { action: 2, entries: [entry(carol.id, 0, key(carol))] }],
    ['add with a zero key', { action: 2, entries: [entry(carol.id, 1)] }],
    ['add without info', { action: 2, entries: [entry(carol.id, 1, key(carol))], info: none }],
    ['remove with role 1', { action: 3, entries: [entry(bob.id, 1)] }],
    ['remove with a key', { action: 3, entries: [entry(bob.id, 0, key(bob))] }],
    ['remove without entries', { action: 3, entries: [] }],
    ['remove without info', { action: 3, entries: [entry(bob.id, 0)], info: none }],
    ['leave with an entry', { action: 4, entries: [entry(alice.id, 0)], info: none }],
    ['leave with info', { action: 4, entries: [] }],
    ['role with two entries', { action: 5, entries: [entry(bob.id, 2), entry(carol.id, 2)], info: none }],
    ['role without entries', { action: 5, entries: [], info: none }],
    ['role 0 in a role change', { action: 5, entries: [entry(bob.id, 0)], info: none }],
    ['a role change with a key', { action: 5, entries: [entry(bob.id, 2, key(bob))], info: none }],
    ['a role change with info', { action: 5, entries: [entry(bob.id, 2)] }],
    ['rename with an entry', { action: 6, entries: [entry(bob.id, 2)] }],
    ['rename without info', { action: 6, entries: [], info: none }],
  ];
  it.each(cases)('entries, roles, keys or info the action does not allow: %s', (_, fields) => {
    expect(code(() => decodeGroupRecord(raw(fields)))).toBe('bad-encoding');
  });

  it('accepts each action in the shape the table gives', () => {
    expect(code(() => decodeGroupRecord(raw({ action: 2, entries: [entry(carol.id, 2, key(carol))] })))).toBe(
      undefined,
    );
    expect(code(() => decodeGroupRecord(raw({ action: 3, entries: [entry(bob.id, 0)] })))).toBeUndefined();
    expect(code(() => decodeGroupRecord(raw({ action: 4, entries: [], info: none })))).toBeUndefined();
    expect(code(() => decodeGroupRecord(raw({ action: 5, entries: [entry(bob.id, 1)], info: none })))).toBeUndefined();
    expect(code(() => decodeGroupRecord(raw({ action: 6, entries: [] })))).toBeUndefined();
  });
});

describe('a sender refuses what a reader would reject', () => {
  const good = fieldsAfter(null, room, alice, 'create', 1, [joining(alice, 'admin'), joining(bob)]);
  const sign = (fields: Partial<GroupRecordFields>) => () => signGroupRecord({ ...good, ...fields }, alice.identity);

  it('with the reader’s codes', () => {
    expect(code(sign({ epoch: 0 }))).toBe('bad-encoding');
    expect(code(sign({ sentAt: 2 ** 53 }))).toBe('bad-encoding');
    expect(code(sign({ action: 'join' as never }))).toBe('bad-encoding');
    expect(code(sign({ entries: [joining(alice, 'admin'), { ...joining(bob), role: 'owner' as never }] }))).toBe(
      'bad-encoding',
    );
    expect(code(sign({ entries: [joining(alice, 'admin'), joining(bob), joining(bob)] }))).toBe('bad-encoding');
    expect(code(sign({ entries: [] }))).toBe('bad-encoding');
    expect(code(sign({ entries: [joining(alice, 'admin'), changing(bob, 'member')] }))).toBe('bad-encoding');
    expect(code(sign({ info: new Uint8Array(0) }))).toBe('bad-encoding');
    expect(code(sign({ action: 'leave' }))).toBe('bad-encoding');
    const many = Array.from({ length: 1001 }, () => ({ ...joining(bob), userId: newUuid() }));
    expect(code(sign({ entries: many }))).toBe('bad-encoding');
  });

  it('and malformed fields before they are written', () => {
    expect(code(sign({ roomId: room.toUpperCase() }))).toBe('bad-encoding');
    expect(code(sign({ signerId: 'alice' }))).toBe('bad-encoding');
    expect(code(sign({ previous: new Uint8Array(31) }))).toBe('bad-length');
    expect(code(sign({ index: -1 }))).toBe('bad-length');
    expect(code(sign({ entries: [{ ...joining(alice, 'admin'), signPublicKey: new Uint8Array(31) }] }))).toBe(
      'bad-length',
    );
    expect(code(sign({ info: new Uint8Array(0x10000) }))).toBe('too-large');
  });
});

describe('group record signatures', () => {
  /** S + L: the same signature, not reduced; tweetnacl alone accepts it. */
  function unreduced(record: Uint8Array): Uint8Array {
    const out = record.slice();
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const at = out.length - 32 + i;
      const sum = (out[at] as number) + (ED25519_GROUP_ORDER[i] as number) + carry;
      out[at] = sum & 0xff;
      carry = sum >> 8;
    }
    return out;
  }

  it('verify under the signer’s key only, over every byte', async () => {
    const cases: [Uint8Array, Uint8Array, boolean][] = [
      [create, key(alice), true],
      [create, key(bob), false],
      [flip(create, 20), key(alice), false],
      [flip(create, create.length - 1), key(alice), false],
      [create.subarray(0, 63), key(alice), false],
      [new Uint8Array(0), key(alice), false],
    ];
    for (const [record, k, valid] of cases) {
      expect(verifyGroupRecordSignature(record, k)).toBe(valid);
      expect(await verifyGroupRecordSignatureAsync(record, k)).toBe(valid);
    }
  });

  it('refuse a signature that is not reduced, which tweetnacl alone would accept', async () => {
    const forged = unreduced(create);
    const label = utf8Encode('OnionChat v1 group record\0');
    const message = concatBytes(label, forged.subarray(0, forged.length - 64));
    expect(nacl.sign.detached.verify(message, forged.subarray(-64), key(alice))).toBe(true);
    expect(verifyGroupRecordSignature(forged, key(alice))).toBe(false);
    expect(await verifyGroupRecordSignatureAsync(forged, key(alice))).toBe(false);
  });

  it('need a 32-byte key', () => {
    expect(code(() => verifyGroupRecordSignature(create, new Uint8Array(31)))).toBe('bad-length');
  });
});

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] as number) ^ 1;
  return out;
}
