import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, encodeU32, equalBytes, randomBytes } from './bytes.js';
import { createIdentity, type Identity } from './identity.js';
import {
  ROOM_KEY_BYTES,
  WRAPPED_ROOM_KEY_BYTES,
  newRoomKey,
  openRoomKey,
  readRoomKeyContext,
  wrapRoomKey,
  type RoomKeyContext,
} from './room-key.js';
import { newUuid, uuidToBytes } from './uuid.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

interface Member {
  id: string;
  identity: Identity;
}
const member = (name: string): Member => ({ id: newUuid(), identity: createIdentity(name) });
const asWrapper = (m: Member) => ({
  id: m.id,
  signPublicKey: m.identity.signPublicKey,
  boxPublicKey: m.identity.boxPublicKey,
});

describe('room keys', () => {
  it('round-trips random keys, rooms, epochs and members', () => {
    for (let i = 0; i < 20; i++) {
      const alice = member('alice');
      const bob = member('bob');
      const roomKey = newRoomKey();
      const ctx: RoomKeyContext = { roomId: newUuid(), epoch: 1 + i * 1000, memberId: bob.id, wrapperId: alice.id };
      const record = wrapRoomKey(roomKey, ctx, alice.identity, bob.identity.boxPublicKey);
      expect(record).toHaveLength(WRAPPED_ROOM_KEY_BYTES);
      expect(record[0]).toBe(1);
      expect(readRoomKeyContext(record)).toEqual(ctx);
      const expected = { roomId: ctx.roomId, epoch: ctx.epoch, memberId: bob.id };
      expect(openRoomKey(record, expected, bob.identity, asWrapper(alice))).toEqual(roomKey);
    }
  });

  it('lets a member wrap a key for themselves', () => {
    const alice = member('alice');
    const roomKey = newRoomKey();
    const ctx = { roomId: newUuid(), epoch: 1, memberId: alice.id, wrapperId: alice.id };
    const record = wrapRoomKey(roomKey, ctx, alice.identity, alice.identity.boxPublicKey);
    expect(openRoomKey(record, ctx, alice.identity, asWrapper(alice))).toEqual(roomKey);
  });

  it('lays out and signs exactly the bytes described in docs/PROTOCOL.md', () => {
    const alice = member('alice');
    const bob = member('bob');
    const roomKey = newRoomKey();
    const nonce = randomBytes(24);
    const ctx = { roomId: newUuid(), epoch: 0x01020304, memberId: bob.id, wrapperId: alice.id };
    const record = wrapRoomKey(roomKey, ctx, alice.identity, bob.identity.boxPublicKey, nonce);
    const body = concatBytes(
      Uint8Array.of(1),
      uuidToBytes(ctx.roomId),
      encodeU32(ctx.epoch),
      uuidToBytes(bob.id),
      uuidToBytes(alice.id),
      bob.identity.boxPublicKey,
      nonce,
      nacl.box(roomKey, nonce, bob.identity.boxPublicKey, alice.identity.boxSecretKey),
    );
    expect(body).toHaveLength(157);
    expect(record.subarray(0, 157)).toEqual(body);
    const message = concatBytes(utf8('OnionChat v1 room key\0'), body);
    expect(nacl.sign.detached.verify(message, record.subarray(157), alice.identity.signPublicKey)).toBe(true);
  });

  it('uses a fresh key and nonce each time', () => {
    const alice = member('alice');
    const roomKey = newRoomKey();
    expect(roomKey).toHaveLength(ROOM_KEY_BYTES);
    expect(equalBytes(roomKey, newRoomKey())).toBe(false);
    const ctx = { roomId: newUuid(), epoch: 1, memberId: alice.id, wrapperId: alice.id };
    const a = wrapRoomKey(roomKey, ctx, alice.identity, alice.identity.boxPublicKey);
    const b = wrapRoomKey(roomKey, ctx, alice.identity, alice.identity.boxPublicKey);
    expect(equalBytes(a, b)).toBe(false);
  });

  it('rejects records in the documented order', () => {
    const alice = member('alice');
    const bob = member('bob');
    const carol = member('carol');
    const roomKey = newRoomKey();
    const ctx = { roomId: newUuid(), epoch: 2, memberId: bob.id, wrapperId: alice.id };
    const expected = { roomId: ctx.roomId, epoch: 2, memberId: bob.id };
    const record = wrapRoomKey(roomKey, ctx, alice.identity, bob.identity.boxPublicKey);
    const open =
      (r: Uint8Array, e = expected, me = bob.identity, w = asWrapper(alice)) =>
      () =>
        openRoomKey(r, e, me, w);

    const v2 = record.slice();
    v2[0] = 2;
    expect(code(open(v2))).toBe('bad-version');
    expect(code(open(concatBytes(v2, Uint8Array.of(0))))).toBe('bad-version');
    expect(code(open(record.subarray(0, 220)))).toBe('bad-length');
    expect(code(open(new Uint8Array(0)))).toBe('bad-length');
    // Any changed bit is caught by the signature, whatever field it is in.
    for (const index of [1, 17, 21, 37, 53, 85, 109, 156, 157, 220]) {
      const tampered = record.slice();
      tampered[index]! ^= 1;
      expect(code(open(tampered))).toBe('bad-signature');
    }
    expect(code(open(record, expected, bob.identity, { ...asWrapper(carol), id: alice.id }))).toBe('bad-signature');
    expect(code(open(record, { ...expected, roomId: newUuid() }))).toBe('context-mismatch');
    expect(code(open(record, { ...expected, epoch: 3 }))).toBe('context-mismatch');
    expect(code(open(record, { ...expected, memberId: carol.id }, carol.identity))).toBe('context-mismatch');
    expect(code(open(record, expected, bob.identity, { ...asWrapper(alice), id: carol.id }))).toBe('context-mismatch');
    // The record is for bob, wrapped to bob's box key; carol cannot use it even if the server files it for her.
    const forCarolToBob = wrapRoomKey(
      roomKey,
      { ...ctx, memberId: carol.id },
      alice.identity,
      bob.identity.boxPublicKey,
    );
    expect(code(open(forCarolToBob, { ...expected, memberId: carol.id }, carol.identity))).toBe('key-mismatch');
    // Signed by alice but boxed with carol's secret key: only decryption can notice.
    const misboxed = wrapRoomKey(
      roomKey,
      ctx,
      { ...alice.identity, boxSecretKey: carol.identity.boxSecretKey },
      bob.identity.boxPublicKey,
    );
    expect(code(open(misboxed))).toBe('decrypt-failed');
  });

  it('refuses an epoch of 0 in records and arguments', () => {
    const alice = member('alice');
    const ctx = { roomId: newUuid(), epoch: 0, memberId: alice.id, wrapperId: alice.id };
    expect(code(() => wrapRoomKey(newRoomKey(), ctx, alice.identity, alice.identity.boxPublicKey))).toBe(
      'bad-encoding',
    );
    const record = wrapRoomKey(newRoomKey(), { ...ctx, epoch: 1 }, alice.identity, alice.identity.boxPublicKey);
    const zero = record.slice();
    zero.set(encodeU32(0), 17);
    expect(code(() => readRoomKeyContext(zero))).toBe('bad-encoding');
    expect(code(() => openRoomKey(record, { ...ctx }, alice.identity, asWrapper(alice)))).toBe('bad-encoding');
    expect(code(() => openRoomKey(record, { ...ctx, epoch: 1.5 }, alice.identity, asWrapper(alice)))).toBe(
      'bad-encoding',
    );
  });

  it('rejects malformed arguments', () => {
    const alice = member('alice');
    const ctx = { roomId: newUuid(), epoch: 1, memberId: alice.id, wrapperId: alice.id };
    const box = alice.identity.boxPublicKey;
    expect(code(() => wrapRoomKey(randomBytes(31), ctx, alice.identity, box))).toBe('bad-length');
    expect(code(() => wrapRoomKey(newRoomKey(), ctx, alice.identity, randomBytes(31)))).toBe('bad-length');
    expect(code(() => wrapRoomKey(newRoomKey(), ctx, alice.identity, box, randomBytes(12)))).toBe('bad-length');
    expect(code(() => wrapRoomKey(newRoomKey(), { ...ctx, roomId: 'room-1' }, alice.identity, box))).toBe(
      'bad-encoding',
    );
    expect(
      code(() => wrapRoomKey(newRoomKey(), { ...ctx, memberId: ctx.memberId.toUpperCase() }, alice.identity, box)),
    ).toBe('bad-encoding');
    expect(code(() => wrapRoomKey(newRoomKey(), ctx, alice.identity, new Uint8Array(32)))).toBe('bad-key');
    const record = wrapRoomKey(newRoomKey(), ctx, alice.identity, box);
    expect(code(() => openRoomKey(record, { ...ctx, roomId: 'x' }, alice.identity, asWrapper(alice)))).toBe(
      'bad-encoding',
    );
    expect(
      code(() => openRoomKey(record, ctx, alice.identity, { ...asWrapper(alice), signPublicKey: randomBytes(16) })),
    ).toBe('bad-length');
  });
});
