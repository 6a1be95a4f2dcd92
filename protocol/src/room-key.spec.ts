import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, encodeU32, equalBytes, randomBytes } from './bytes.js';
import { createIdentity, type Identity } from './identity.js';
import {
  ROOM_KEY_BYTES,
  WRAPPED_ROOM_KEY_BYTES,
  WRAPPED_ROOM_KEY_V2_BYTES,
  newRoomKey,
  openRoomKey,
  readRoomKeyContext,
  wrapRoomKey,
  wrapRoomKeyHybrid,
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
      expect(openRoomKey(record, expected, bob.identity, asWrapper(alice))).toEqual({ roomKey, hybrid: false });
    }
  });

  it('lets a member wrap a key for themselves', () => {
    const alice = member('alice');
    const roomKey = newRoomKey();
    const ctx = { roomId: newUuid(), epoch: 1, memberId: alice.id, wrapperId: alice.id };
    const record = wrapRoomKey(roomKey, ctx, alice.identity, alice.identity.boxPublicKey);
    expect(openRoomKey(record, ctx, alice.identity, asWrapper(alice)).roomKey).toEqual(roomKey);
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

    const v3 = record.slice();
    v3[0] = 3;
    expect(code(open(v3))).toBe('bad-version');
    expect(code(open(concatBytes(v3, Uint8Array.of(0))))).toBe('bad-version');
    const v2 = record.slice();
    v2[0] = 2;
    expect(code(open(v2))).toBe('bad-length');
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

/** An identity with an ML-KEM-768 key pair (as createIdentity makes for new accounts). */
function withKem(identity: Identity, seed = randomBytes(64)): Identity {
  const { publicKey, secretKey } = ml_kem768.keygen(seed);
  return { ...identity, kem: { seed, publicKey, secretKey } };
}
const hybridMember = (name: string): Member => ({ id: newUuid(), identity: withKem(createIdentity(name)) });
const memberKeys = (m: Member) => ({ boxPublicKey: m.identity.boxPublicKey, kemPublicKey: m.identity.kem!.publicKey });
const sha512Half = (bytes: Uint8Array) => nacl.hash(bytes).slice(0, 32);

describe('hybrid room keys (version 2)', () => {
  const alice = hybridMember('alice');
  const bob = hybridMember('bob');
  const carol = hybridMember('carol');
  const roomKey = newRoomKey();
  const ctx: RoomKeyContext = { roomId: newUuid(), epoch: 2, memberId: bob.id, wrapperId: alice.id };
  const expected = { roomId: ctx.roomId, epoch: 2, memberId: bob.id };
  const record = wrapRoomKeyHybrid(roomKey, ctx, alice.identity, memberKeys(bob));
  const open =
    (r: Uint8Array, e = expected, me = bob.identity, w = asWrapper(alice)) =>
    () =>
      openRoomKey(r, e, me, w);

  it('round-trips and says the key is hybrid', () => {
    expect(record).toHaveLength(WRAPPED_ROOM_KEY_V2_BYTES);
    expect(record).toHaveLength(1341);
    expect(record[0]).toBe(2);
    expect(readRoomKeyContext(record)).toEqual(ctx);
    expect(open(record)()).toEqual({ roomKey, hybrid: true });
    const own = wrapRoomKeyHybrid(roomKey, { ...ctx, memberId: alice.id }, alice.identity, memberKeys(alice));
    expect(openRoomKey(own, { ...expected, memberId: alice.id }, alice.identity, asWrapper(alice)).roomKey).toEqual(
      roomKey,
    );
  });

  it('does not need the wrapper to hold ML-KEM keys', () => {
    const classical = member('dora');
    const wrapped = wrapRoomKeyHybrid(
      roomKey,
      { ...ctx, wrapperId: classical.id },
      classical.identity,
      memberKeys(bob),
    );
    expect(openRoomKey(wrapped, expected, bob.identity, asWrapper(classical)).hybrid).toBe(true);
  });

  it('lays out, derives and signs exactly the bytes described in docs/PROTOCOL.md', () => {
    const nonce = randomBytes(24);
    const kemSeed = randomBytes(32);
    const fixed = wrapRoomKeyHybrid(roomKey, ctx, alice.identity, memberKeys(bob), { nonce, kemSeed });
    expect(fixed).toEqual(wrapRoomKeyHybrid(roomKey, ctx, alice.identity, memberKeys(bob), { nonce, kemSeed }));
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(bob.identity.kem!.publicKey, kemSeed);
    const x25519 = nacl.scalarMult(alice.identity.boxSecretKey, bob.identity.boxPublicKey);
    const wrapKey = sha512Half(
      concatBytes(
        utf8('OnionChat v2 room key wrap\0'),
        x25519,
        sharedSecret,
        cipherText,
        bob.identity.boxPublicKey,
        alice.identity.boxPublicKey,
      ),
    );
    const body = concatBytes(
      Uint8Array.of(2),
      uuidToBytes(ctx.roomId),
      encodeU32(ctx.epoch),
      uuidToBytes(bob.id),
      uuidToBytes(alice.id),
      bob.identity.boxPublicKey,
      sha512Half(bob.identity.kem!.publicKey),
      cipherText,
      nonce,
      nacl.secretbox(roomKey, nonce, wrapKey),
    );
    expect(body).toHaveLength(1277);
    expect(fixed.subarray(0, 1277)).toEqual(body);
    const message = concatBytes(utf8('OnionChat v2 room key\0'), body);
    expect(nacl.sign.detached.verify(message, fixed.subarray(1277), alice.identity.signPublicKey)).toBe(true);
  });

  it('draws a fresh nonce and encapsulation each time', () => {
    const again = wrapRoomKeyHybrid(roomKey, ctx, alice.identity, memberKeys(bob));
    expect(equalBytes(again.subarray(117, 1205), record.subarray(117, 1205))).toBe(false);
    expect(equalBytes(again.subarray(1205, 1229), record.subarray(1205, 1229))).toBe(false);
  });

  it('rejects records in the documented order', () => {
    expect(code(open(record.subarray(0, 1340)))).toBe('bad-length');
    expect(code(open(concatBytes(record, Uint8Array.of(0))))).toBe('bad-length');
    const v1 = record.slice();
    v1[0] = 1;
    expect(code(open(v1))).toBe('bad-length');
    // Every field, the KEM key digest and ciphertext included, is under the signature.
    for (const index of [1, 17, 53, 85, 117, 600, 1204, 1205, 1229, 1276, 1277, 1340]) {
      const tampered = record.slice();
      tampered[index]! ^= 1;
      expect(code(open(tampered))).toBe('bad-signature');
    }
    expect(code(open(record, { ...expected, epoch: 3 }))).toBe('context-mismatch');
    expect(code(open(record, expected, bob.identity, { ...asWrapper(alice), id: carol.id }))).toBe('context-mismatch');
    const forCarol = { ...expected, memberId: carol.id };
    const toBobsBoxKey = wrapRoomKeyHybrid(roomKey, { ...ctx, memberId: carol.id }, alice.identity, {
      ...memberKeys(carol),
      boxPublicKey: bob.identity.boxPublicKey,
    });
    expect(code(open(toBobsBoxKey, forCarol, carol.identity))).toBe('key-mismatch');
    // The right box key, but another ML-KEM key (substituted by the server, or outdated).
    const toBobsKemKey = wrapRoomKeyHybrid(roomKey, { ...ctx, memberId: carol.id }, alice.identity, {
      ...memberKeys(carol),
      kemPublicKey: bob.identity.kem!.publicKey,
    });
    expect(code(open(toBobsKemKey, forCarol, carol.identity))).toBe('key-mismatch');
    const noKem = { ...bob.identity, kem: null };
    expect(code(open(record, expected, noKem))).toBe('key-mismatch');
    expect(() => open(record, expected, noKem)()).toThrow(/no(ne)?.*ML-KEM|ML-KEM.*none/);
  });

  it('fails to decrypt when either shared secret is wrong', () => {
    // Boxed by alice's signature but with mallory's X25519 secret: only decryption notices.
    const mallory = hybridMember('mallory');
    const wrongX25519 = wrapRoomKeyHybrid(
      roomKey,
      ctx,
      { ...alice.identity, boxSecretKey: mallory.identity.boxSecretKey },
      memberKeys(bob),
    );
    expect(code(open(wrongX25519))).toBe('decrypt-failed');
    // A genuine digest of bob's KEM key, but encapsulated to carol's key: bob's secret gives another secret.
    const wrongKem = resignedWith(
      wrapRoomKeyHybrid(roomKey, ctx, alice.identity, {
        ...memberKeys(bob),
        kemPublicKey: carol.identity.kem!.publicKey,
      }),
      { 85: sha512Half(bob.identity.kem!.publicKey) },
      alice.identity,
    );
    expect(code(open(wrongKem))).toBe('decrypt-failed');
    const flippedCiphertext = record.slice();
    flippedCiphertext[700]! ^= 1;
    expect(code(open(resignedWith(flippedCiphertext, {}, alice.identity)))).toBe('decrypt-failed');
  });

  it('refuses unusable keys and malformed arguments when wrapping', () => {
    const members = memberKeys(bob);
    expect(
      code(() => wrapRoomKeyHybrid(roomKey, ctx, alice.identity, { ...members, boxPublicKey: new Uint8Array(32) })),
    ).toBe('bad-key');
    const badKem = new Uint8Array(1184).fill(0xff);
    expect(code(() => wrapRoomKeyHybrid(roomKey, ctx, alice.identity, { ...members, kemPublicKey: badKem }))).toBe(
      'bad-key',
    );
    expect(
      code(() => wrapRoomKeyHybrid(roomKey, ctx, alice.identity, { ...members, kemPublicKey: randomBytes(800) })),
    ).toBe('bad-length');
    const nonce = randomBytes(24);
    expect(
      code(() => wrapRoomKeyHybrid(roomKey, ctx, alice.identity, members, { nonce, kemSeed: randomBytes(31) })),
    ).toBe('bad-length');
    expect(code(() => wrapRoomKeyHybrid(randomBytes(16), ctx, alice.identity, members))).toBe('bad-length');
    expect(code(() => wrapRoomKeyHybrid(roomKey, { ...ctx, epoch: 0 }, alice.identity, members))).toBe('bad-encoding');
  });
});

/** The record with `patches` (offset -> bytes) applied and signed again by `signer`. */
function resignedWith(record: Uint8Array, patches: Record<number, Uint8Array>, signer: Identity): Uint8Array {
  const body = record.slice(0, 1277);
  for (const [offset, bytes] of Object.entries(patches)) body.set(bytes, Number(offset));
  return concatBytes(
    body,
    nacl.sign.detached(concatBytes(utf8('OnionChat v2 room key\0'), body), signer.signSecretKey),
  );
}
