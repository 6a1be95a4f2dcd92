// Room keys: only a member may hand one out, a direct room's member list must add
// up, this account's own wraps are checked under its own keys, and a refused key is
// not asked for again more often than every KEY_REFETCH_MS.

import type { PublicUser, Room } from '@onionchat/contract';
import {
  createIdentity,
  encodePublicKeys,
  fromBase64,
  newRoomKey,
  newUuid,
  sealGroupInfo,
  signGroupRecord,
  toBase64,
  verifyGroupChain,
  wrapRoomKey,
  wrapRoomKeyHybrid,
  type GroupState,
  type Identity,
} from '@onionchat/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHttp } from '../test-support/fake-http.js';
import { ApiError } from '../transport/api-error.js';
import { Api } from '../transport/api.js';
import { KeyDirectory } from './key-directory.js';
import { ContactPins } from './pins.js';
import { GROUP_NOT_VERIFIED, KEY_REFETCH_MS, RoomKeyring, roomMemberIds } from './room-keyring.js';
import { UntrustedKeyError, VerifyError } from './verify-error.js';

interface Person {
  user: PublicUser;
  identity: Identity;
}

function person(username: string, id = newUuid()): Person {
  const identity = createIdentity(username);
  return { user: { id, username, publicKeys: toBase64(encodePublicKeys(identity, id)) }, identity };
}

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');

function room(members: PublicUser[], kind = 'direct', id = newUuid()): Room {
  return { id, kind, epoch: 1, lastSeq: 0, lastReadSeq: 0, unread: 0, members };
}

/** A wrapped key record as `wrapper` makes it for Alice. */
function wrapped(roomId: string, epoch: number, key: Uint8Array, wrapper: Person, wrapperId = wrapper.user.id) {
  const record = wrapRoomKey(
    key,
    { roomId, epoch, memberId: alice.user.id, wrapperId },
    wrapper.identity,
    alice.identity.boxPublicKey,
  );
  return { epoch, wrapperId, record: toBase64(record) };
}

function setup() {
  const http = new FakeHttp();
  const pins = new ContactPins(null);
  const directory = new KeyDirectory(alice.user.id, alice.identity, pins);
  const keyring = new RoomKeyring(new Api(http), alice.user.id, alice.identity, directory);
  const serve = (r: Room, keys: unknown[]) => http.on('GET', `/api/rooms/${r.id}/keys`, { body: { keys } });
  const fetches = (r: Room) => http.callsTo('GET', `/api/rooms/${r.id}/keys`).length;
  return { http, pins, directory, keyring, serve, fetches };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the key to be refused'),
    (error: unknown) => error,
  );
}

describe('RoomKeyring', () => {
  it('opens a key wrapped by the other member of a direct room (and pins them)', async () => {
    const { keyring, serve, pins } = setup();
    const r = room([alice.user, bob.user]);
    const key = newRoomKey();
    serve(r, [wrapped(r.id, 1, key, bob)]);
    expect(await keyring.get(r, 1)).toEqual(key);
    expect(keyring.peek(r.id, 1)).toEqual(key);
    expect(pins.get(bob.user.id)).not.toBeNull();
  });

  it('refuses a key from a wrapper who is not a member, even with a valid signature', async () => {
    const { keyring, serve } = setup();
    const r = room([alice.user, bob.user]);
    serve(r, [wrapped(r.id, 1, newRoomKey(), mallory)]);
    const error = await refusal(keyring.get(r, 1));
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as Error).message).toBe('its key was handed out by someone outside the conversation');
  });

  it('refuses every key of a direct room with three members', async () => {
    const { keyring, serve } = setup();
    const r = room([alice.user, bob.user, carol.user]);
    serve(r, [wrapped(r.id, 1, newRoomKey(), bob)]);
    const error = await refusal(keyring.get(r, 1));
    expect((error as Error).message).toBe('the conversation’s member list does not add up');
    expect(roomMemberIds(r, alice.user.id)).toBeNull();
  });

  it('refuses the keys of a room this account is not a member of', async () => {
    const { keyring, serve } = setup();
    const r = room([bob.user, carol.user], 'group');
    serve(r, [wrapped(r.id, 1, newRoomKey(), bob)]);
    expect(await refusal(keyring.get(r, 1))).toMatchObject({
      message: 'the conversation’s member list does not add up',
    });
    expect(roomMemberIds(r, alice.user.id)).toBeNull();
  });

  it('lets any member of a room of another kind hand out its key', async () => {
    const { keyring, serve } = setup();
    const r = room([alice.user, bob.user, carol.user], 'group');
    const key = newRoomKey();
    serve(r, [wrapped(r.id, 1, key, carol)]);
    expect(await keyring.get(r, 1)).toEqual(key);
    expect(roomMemberIds(r, alice.user.id)).toEqual(new Set([alice.user.id, bob.user.id, carol.user.id]));
  });

  it('accepts this account’s own wrap, checked under its own keys rather than the server’s record', async () => {
    const { keyring, serve } = setup();
    // The server presents a forged record for Alice: it must not matter.
    const forgedMe = { ...person('alice').user, id: alice.user.id };
    const r = room([forgedMe, bob.user]);
    const key = newRoomKey();
    serve(r, [wrapped(r.id, 1, key, alice)]);
    expect(await keyring.get(r, 1)).toEqual(key);
  });

  it('refuses a wrap of "mine" that another key made', async () => {
    const { keyring, serve } = setup();
    const r = room([alice.user, bob.user]);
    serve(r, [wrapped(r.id, 1, newRoomKey(), mallory, alice.user.id)]);
    expect(await refusal(keyring.get(r, 1))).toMatchObject({
      message: 'its conversation key failed a check (its signature does not match the sender)',
    });
  });

  it('keeps an untrusted wrapper recognisable (UntrustedKeyError) so the key can be retried once accepted', async () => {
    const { keyring, serve, directory } = setup();
    const r = room([alice.user, bob.user]);
    directory.learn(bob.user);
    const newBob = person('bob', bob.user.id);
    const changed = room([alice.user, newBob.user], 'direct', r.id);
    const key = newRoomKey();
    serve(changed, [wrapped(r.id, 1, key, newBob)]);
    const error = await refusal(keyring.get(changed, 1));
    expect(error).toBeInstanceOf(UntrustedKeyError);
    expect(error).toMatchObject({ userId: bob.user.id });

    directory.accept(bob.user.id, false);
    keyring.forget(r.id);
    expect(await keyring.get(changed, 1)).toEqual(key);
  });

  it('refuses a tampered record and one made for another room', async () => {
    const { keyring, serve } = setup();
    const r = room([alice.user, bob.user]);
    const tampered = wrapped(r.id, 1, newRoomKey(), bob);
    const bytes = fromBase64(tampered.record);
    bytes[100]! ^= 0x01;
    serve(r, [{ ...tampered, record: toBase64(bytes) }, wrapped(newUuid(), 2, newRoomKey(), bob)]);
    expect(await refusal(keyring.get(r, 1))).toMatchObject({
      message: 'its conversation key failed a check (its signature does not match the sender)',
    });
    expect(await refusal(keyring.get(r, 2))).toMatchObject({
      message: 'its conversation key failed a check (it was delivered for another conversation or sender)',
    });
  });

  it('says so when there is no key for the epoch', async () => {
    const { keyring, serve } = setup();
    const r = room([alice.user, bob.user]);
    serve(r, [wrapped(r.id, 1, newRoomKey(), bob)]);
    expect(await refusal(keyring.get(r, 2))).toMatchObject({ message: 'there is no key for it' });
  });

  it('keeps keys it made itself, and forgets and wipes them', async () => {
    const { keyring, serve, fetches } = setup();
    const r = room([alice.user, bob.user]);
    const key = newRoomKey();
    keyring.put(r.id, 1, key, true);
    expect(await keyring.get(r, 1)).toBe(key);
    expect(await keyring.currentIsHybrid(r)).toBe(true);
    expect(fetches(r)).toBe(0);

    keyring.forget(r.id);
    expect(key.every((byte) => byte === 0)).toBe(true);
    expect(keyring.peek(r.id, 1)).toBeNull();

    const fetched = newRoomKey();
    serve(r, [wrapped(r.id, 1, fetched, bob)]);
    const got = await keyring.get(r, 1);
    expect(fetches(r)).toBe(1);
    keyring.wipe();
    expect(got.every((byte) => byte === 0)).toBe(true);
    expect(keyring.peek(r.id, 1)).toBeNull();
  });

  it('passes a network failure on, and tries again on the next request', async () => {
    const { keyring, http, serve, fetches } = setup();
    const r = room([alice.user, bob.user]);
    http.on('GET', `/api/rooms/${r.id}/keys`, 'drop');
    expect(await refusal(keyring.get(r, 1))).toBeInstanceOf(ApiError);
    const key = newRoomKey();
    serve(r, [wrapped(r.id, 1, key, bob)]);
    expect(await keyring.get(r, 1)).toEqual(key);
    expect(fetches(r)).toBe(2);
  });

  it('asks once for concurrent requests of one room', async () => {
    const { keyring, serve, fetches } = setup();
    const r = room([alice.user, bob.user]);
    const one = newRoomKey();
    const two = newRoomKey();
    serve(r, [wrapped(r.id, 1, one, bob), wrapped(r.id, 2, two, alice)]);
    const [a, b, c] = await Promise.all([keyring.get(r, 1), keyring.get(r, 2), keyring.get(r, 1)]);
    expect([a, b, c]).toEqual([one, two, one]);
    expect(fetches(r)).toBe(1);
  });

  describe('refetching a refused key', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('answers from the refusal for KEY_REFETCH_MS, then asks the server again', async () => {
      const { keyring, serve, fetches } = setup();
      const r = room([alice.user, bob.user]);
      serve(r, [wrapped(r.id, 1, newRoomKey(), mallory)]);
      const first = await refusal(keyring.get(r, 1));
      expect(fetches(r)).toBe(1);

      vi.advanceTimersByTime(KEY_REFETCH_MS - 1);
      expect(await refusal(keyring.get(r, 1))).toBe(first);
      expect(fetches(r)).toBe(1);

      // The server put things right meanwhile.
      const key = newRoomKey();
      serve(r, [wrapped(r.id, 1, key, bob)]);
      vi.advanceTimersByTime(1);
      expect(await keyring.get(r, 1)).toEqual(key);
      expect(fetches(r)).toBe(2);
    });

    it('asks again right away once the room is forgotten', async () => {
      const { keyring, serve, fetches } = setup();
      const r = room([alice.user, bob.user]);
      serve(r, [wrapped(r.id, 1, newRoomKey(), mallory)]);
      await refusal(keyring.get(r, 1));
      keyring.forget(r.id);
      await refusal(keyring.get(r, 1));
      expect(fetches(r)).toBe(2);
    });
  });

  describe('hybrid (version 2) records', () => {
    /** A version 2 record as `wrapper` makes it for Alice, to her ML-KEM key. */
    function hybridWrapped(roomId: string, epoch: number, key: Uint8Array, wrapper: Person, to = alice.identity) {
      const record = wrapRoomKeyHybrid(
        key,
        { roomId, epoch, memberId: alice.user.id, wrapperId: wrapper.user.id },
        wrapper.identity,
        { boxPublicKey: to.boxPublicKey, kemPublicKey: to.kem!.publicKey },
      );
      return { epoch, wrapperId: wrapper.user.id, record: toBase64(record) };
    }

    it('opens version 1 and 2 keys side by side and says which epoch is hybrid', async () => {
      const { keyring, serve } = setup();
      const r = room([alice.user, bob.user]);
      const [classical, hybrid] = [newRoomKey(), newRoomKey()];
      serve(r, [wrapped(r.id, 1, classical, bob), hybridWrapped(r.id, 2, hybrid, bob)]);
      expect(await keyring.currentIsHybrid(r)).toBe(false);
      expect(await keyring.currentIsHybrid({ ...r, epoch: 2 })).toBe(true);
      expect(await keyring.get(r, 1)).toEqual(classical);
      expect(await keyring.get(r, 2)).toEqual(hybrid);
    });

    it('opens a hybrid key from a wrapper who has no ML-KEM key of their own', async () => {
      const { keyring, serve } = setup();
      const old = person('old_timer');
      const classicalWrapper = { ...old, identity: { ...old.identity, kem: null } };
      const r = room([alice.user, old.user]);
      const key = newRoomKey();
      serve(r, [hybridWrapped(r.id, 1, key, classicalWrapper)]);
      expect(await keyring.get(r, 1)).toEqual(key);
    });

    it('refuses a hybrid key wrapped to another ML-KEM key, and one this account cannot open yet', async () => {
      const { keyring, serve } = setup();
      const r = room([alice.user, bob.user]);
      serve(r, [hybridWrapped(r.id, 1, newRoomKey(), bob, { ...alice.identity, kem: carol.identity.kem })]);
      const refused = await refusal(keyring.get(r, 1));
      expect(refused).toBeInstanceOf(VerifyError);
      expect((refused as Error).message).toMatch(/conversation key failed a check/);

      const http = new FakeHttp();
      const notUpgraded = { ...alice.identity, kem: null };
      const directory = new KeyDirectory(alice.user.id, notUpgraded, new ContactPins(null));
      const oldKeyring = new RoomKeyring(new Api(http), alice.user.id, notUpgraded, directory);
      const s = room([alice.user, bob.user]);
      http.on('GET', `/api/rooms/${s.id}/keys`, { body: { keys: [hybridWrapped(s.id, 1, newRoomKey(), bob)] } });
      expect(await refusal(oldKeyring.get(s, 1))).toBeInstanceOf(VerifyError);
    });

    it('forgets which epochs were hybrid with the keys', async () => {
      const { keyring, serve } = setup();
      const r = room([alice.user, bob.user]);
      keyring.put(r.id, 1, newRoomKey(), true);
      keyring.forget(r.id);
      serve(r, [wrapped(r.id, 1, newRoomKey(), bob)]);
      expect(await keyring.currentIsHybrid(r)).toBe(false);
    });
  });

  describe('group rooms, judged by the verified chain', () => {
    /** The state after a create by `creator` with `members` (as the chain verified it). */
    function verified(roomId: string, creator: Person, members: Person[]): GroupState {
      const entries = [creator, ...members].map((p, i) => ({
        userId: p.user.id,
        role: i === 0 ? ('admin' as const) : ('member' as const),
        signPublicKey: p.identity.signPublicKey,
      }));
      const record = signGroupRecord(
        {
          roomId,
          index: 0,
          previous: new Uint8Array(32),
          signerId: creator.user.id,
          epoch: 1,
          sentAt: 1,
          action: 'create',
          entries,
          info: sealGroupInfo({ name: 'Group' }, newRoomKey()),
        },
        creator.identity,
      );
      return verifyGroupChain([record], { roomId }).state!;
    }

    function groupSetup() {
      const http = new FakeHttp();
      const directory = new KeyDirectory(alice.user.id, alice.identity, new ContactPins(null));
      const states = new Map<string, GroupState>();
      const keyring = new RoomKeyring(new Api(http), alice.user.id, alice.identity, directory, {
        stateOf: (roomId) => states.get(roomId) ?? null,
      });
      const serve = (r: Room, keys: unknown[]) => http.on('GET', `/api/rooms/${r.id}/keys`, { body: { keys } });
      const fetches = (r: Room) => http.callsTo('GET', `/api/rooms/${r.id}/keys`).length;
      return { keyring, states, serve, fetches };
    }

    it('accepts a key a member of the chain wrapped', async () => {
      const { keyring, states, serve } = groupSetup();
      const r = room([alice.user, bob.user, carol.user], 'group');
      states.set(r.id, verified(r.id, bob, [alice, carol]));
      const key = newRoomKey();
      serve(r, [wrapped(r.id, 1, key, carol)]);
      expect(await keyring.get(r, 1)).toEqual(key);
    });

    it('refuses a key from someone the server lists as a member but the chain does not', async () => {
      const { keyring, states, serve } = groupSetup();
      const r = room([alice.user, bob.user, mallory.user], 'group');
      states.set(r.id, verified(r.id, bob, [alice]));
      serve(r, [wrapped(r.id, 1, newRoomKey(), mallory)]);
      expect(await refusal(keyring.get(r, 1))).toMatchObject({
        message: 'its key was handed out by someone outside the conversation',
      });
    });

    it('refuses a key from a member whose presented keys are not the chain’s', async () => {
      const { keyring, states, serve } = groupSetup();
      const fakeCarol = person('carol', carol.user.id);
      const r = room([alice.user, bob.user, fakeCarol.user], 'group');
      states.set(r.id, verified(r.id, bob, [alice, carol]));
      serve(r, [wrapped(r.id, 1, newRoomKey(), fakeCarol)]);
      expect(await refusal(keyring.get(r, 1))).toMatchObject({
        message: 'its key was handed out with keys that do not match the group’s',
      });
    });

    it('refuses a key of a group this account is not in by the chain', async () => {
      const { keyring, states, serve } = groupSetup();
      const r = room([alice.user, bob.user, carol.user], 'group');
      states.set(r.id, verified(r.id, bob, [carol]));
      serve(r, [wrapped(r.id, 1, newRoomKey(), bob)]);
      expect(await refusal(keyring.get(r, 1))).toMatchObject({
        message: 'this account was not in the group when its key was made',
      });
    });

    it('refuses, without asking the server, before the chain is verified or has reached the epoch', async () => {
      const { keyring, states, serve, fetches } = groupSetup();
      const r = room([alice.user, bob.user], 'group');
      const key = newRoomKey();
      serve(r, [wrapped(r.id, 1, key, bob), wrapped(r.id, 2, newRoomKey(), bob)]);
      const error = await refusal(keyring.get(r, 1));
      expect(error).toBeInstanceOf(VerifyError);
      expect((error as Error).message).toBe(GROUP_NOT_VERIFIED);
      states.set(r.id, verified(r.id, bob, [alice]));
      expect(await refusal(keyring.get(r, 2))).toMatchObject({
        message: 'its key is for a change to the group this device has not verified yet',
      });
      expect(fetches(r)).toBe(0);
      // Once verified, the key is judged at once (not refused for KEY_REFETCH_MS).
      expect(await keyring.get(r, 1)).toEqual(key);
    });

    it('judges direct rooms exactly as before', async () => {
      const { keyring, serve } = groupSetup();
      const r = room([alice.user, bob.user]);
      const key = newRoomKey();
      serve(r, [wrapped(r.id, 1, key, bob)]);
      expect(await keyring.get(r, 1)).toEqual(key);
      const s = room([alice.user, bob.user]);
      serve(s, [wrapped(s.id, 1, newRoomKey(), mallory)]);
      expect(await refusal(keyring.get(s, 1))).toMatchObject({
        message: 'its key was handed out by someone outside the conversation',
      });
    });
  });
});
